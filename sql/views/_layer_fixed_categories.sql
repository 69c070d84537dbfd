-- _layer_fixed_categories: helper (not public surface). One row per layer (run, device, pass, layer) with the
-- layers row and the fixed category sums of the llm-pipeline-analysis per-layer table (docs/reference-analysis.md)
-- over the layer's kernels (role 'layer'). Shared by layer_detail and layer_clusters so both count the same kernels.
--   (every column of layers)
--   trace_start_ns   runs.trace_start_ns, ns
--   mla_ns           key mla, ns
--   moe_ns           key moe, ns
--   gemm_ns          keys gemm_fp8 + gemm_bf16 + gemm_f32 + gemm, ns
--   comm_ns          keys allreduce + comm, ns
--   mhc_ns           key mhc and keys starting with mhc_, ns
--   hadamard_ns      key hadamard, ns
--   ar_count         kernels of key allreduce
-- Each sum reaches the layer's kernels through its spans (kernel_spans_by_layer), then their primary-key ranges of
-- kernel_rows; `k.category || ''` keeps SQLite from driving a sum from the category instead (it would walk every
-- kernel of that category in the run for each layer: seconds on a 200 k-kernel run instead of milliseconds).
CREATE VIEW _layer_fixed_categories AS
SELECT
    l.run_id,
    l.device,
    l.pass_idx,
    l.layer_idx,
    l.layer_type,
    l.compress_ratio,
    l.start_ns,
    l.end_ns,
    l.wall_us,
    l.sum_us,
    l.busy_us,
    l.idle_us,
    l.exposed_comm_us,
    l.kernel_count,
    l.comm_count,
    r.trace_start_ns,
    (SELECT COALESCE(SUM(k.dur_ns), 0) FROM _kernel_labels AS k
      WHERE k.run_id = l.run_id AND k.pass_idx = l.pass_idx AND k.layer_idx = l.layer_idx AND k.device = l.device
        AND k.role = 'layer' AND k.category || '' = 'mla') AS mla_ns,
    (SELECT COALESCE(SUM(k.dur_ns), 0) FROM _kernel_labels AS k
      WHERE k.run_id = l.run_id AND k.pass_idx = l.pass_idx AND k.layer_idx = l.layer_idx AND k.device = l.device
        AND k.role = 'layer' AND k.category || '' = 'moe') AS moe_ns,
    (SELECT COALESCE(SUM(k.dur_ns), 0) FROM _kernel_labels AS k
      WHERE k.run_id = l.run_id AND k.pass_idx = l.pass_idx AND k.layer_idx = l.layer_idx AND k.device = l.device
        AND k.role = 'layer' AND k.category || '' IN ('gemm_fp8', 'gemm_bf16', 'gemm_f32', 'gemm')) AS gemm_ns,
    (SELECT COALESCE(SUM(k.dur_ns), 0) FROM _kernel_labels AS k
      WHERE k.run_id = l.run_id AND k.pass_idx = l.pass_idx AND k.layer_idx = l.layer_idx AND k.device = l.device
        AND k.role = 'layer' AND k.category || '' IN ('allreduce', 'comm')) AS comm_ns,
    (SELECT COALESCE(SUM(k.dur_ns), 0) FROM _kernel_labels AS k
      WHERE k.run_id = l.run_id AND k.pass_idx = l.pass_idx AND k.layer_idx = l.layer_idx AND k.device = l.device
        AND k.role = 'layer' AND (k.category || '' = 'mhc' OR k.category LIKE 'mhc!_%' ESCAPE '!')) AS mhc_ns,
    (SELECT COALESCE(SUM(k.dur_ns), 0) FROM _kernel_labels AS k
      WHERE k.run_id = l.run_id AND k.pass_idx = l.pass_idx AND k.layer_idx = l.layer_idx AND k.device = l.device
        AND k.role = 'layer' AND k.category || '' = 'hadamard') AS hadamard_ns,
    (SELECT COUNT(*) FROM _kernel_labels AS k
      WHERE k.run_id = l.run_id AND k.pass_idx = l.pass_idx AND k.layer_idx = l.layer_idx AND k.device = l.device
        AND k.role = 'layer' AND k.category || '' = 'allreduce') AS ar_count
FROM layers AS l
JOIN runs AS r ON r.run_id = l.run_id;
