-- _layer_fixed_categories: helper (not public surface). One row per layer (run, device, pass, layer) with the
-- layers row and the reference's fixed category sums (reference-scripts.md §6.4) over the layer's kernels
-- (role 'layer'). Shared by layer_detail and layer_clusters so both count the same kernels.
--   (every column of layers)
--   trace_start_ns   runs.trace_start_ns, ns
--   mla_ns           key mla, ns
--   moe_ns           key moe, ns
--   gemm_ns          keys gemm_fp8 + gemm_bf16 + gemm_f32 + gemm, ns
--   comm_ns          keys allreduce + comm, ns
--   mhc_ns           key mhc and keys starting with mhc_, ns
--   hadamard_ns      key hadamard, ns
--   ar_count         kernels of key allreduce
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
    COALESCE(SUM(CASE WHEN k.category = 'mla' THEN k.dur_ns END), 0)                    AS mla_ns,
    COALESCE(SUM(CASE WHEN k.category = 'moe' THEN k.dur_ns END), 0)                    AS moe_ns,
    COALESCE(SUM(CASE WHEN k.category IN ('gemm_fp8', 'gemm_bf16', 'gemm_f32', 'gemm')
                      THEN k.dur_ns END), 0)                                            AS gemm_ns,
    COALESCE(SUM(CASE WHEN k.category IN ('allreduce', 'comm') THEN k.dur_ns END), 0)   AS comm_ns,
    COALESCE(SUM(CASE WHEN k.category = 'mhc' OR k.category LIKE 'mhc\_%' ESCAPE '\'
                      THEN k.dur_ns END), 0)                                            AS mhc_ns,
    COALESCE(SUM(CASE WHEN k.category = 'hadamard' THEN k.dur_ns END), 0)               AS hadamard_ns,
    COUNT(CASE WHEN k.category = 'allreduce' THEN 1 END)                                AS ar_count
FROM layers AS l
JOIN runs AS r ON r.run_id = l.run_id
LEFT JOIN kernels AS k
       ON k.run_id = l.run_id AND k.pass_idx = l.pass_idx AND k.layer_idx = l.layer_idx
      AND k.device = l.device AND k.role = 'layer'
GROUP BY l.run_id, l.device, l.pass_idx, l.layer_idx, l.layer_type, l.compress_ratio, l.start_ns, l.end_ns,
         l.wall_us, l.sum_us, l.busy_us, l.idle_us, l.exposed_comm_us, l.kernel_count, l.comm_count,
         r.trace_start_ns;
