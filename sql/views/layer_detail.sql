-- layer_detail: one row per transformer layer per pass, run and device (the per-layer table of the
-- llm-pipeline-analysis scripts with its fixed category columns, docs/reference-analysis.md). wall/sum/busy/idle
-- come from the layers table (written by the segmenter); the category columns are summed from the layer's kernels
-- (role 'layer').
-- Category keys per docs/profiles.md; AllReduce is the category key allreduce (matched case-insensitively), so
-- ar_count counts every AllReduce kernel, not only names containing "AllReduce" in that case (the scripts' fault 16).
--   run_id, device, pass_idx, layer_idx   the layer (0-based, the true layer number)
--   layer_type       composable label, e.g. FIRST+SWA_ONLY+HASH (docs/segmentation.md, 'Layer types')
--   compress_ratio   config compress_ratios[layer_idx], NULL when none
--   start_rel_ms     layer start (earliest kernel start) - runs.trace_start_ns, milliseconds
--   wall_ms          latest kernel end - earliest kernel start, milliseconds
--   sum_ms           sum of kernel durations, milliseconds
--   busy_ms          union of kernel intervals (overlapping streams counted once), milliseconds
--   idle_ms          wall - busy, milliseconds
--   exposed_comm_ms  communication time not overlapped by any other kernel, milliseconds
--   mla_ms           kernels of key mla, milliseconds
--   moe_ms           kernels of key moe, milliseconds
--   gemm_ms          keys gemm_fp8 + gemm_bf16 + gemm_f32 + gemm, milliseconds
--   comm_ms          keys allreduce + comm, milliseconds
--   mhc_ms           key mhc and keys starting with mhc_, milliseconds
--   hadamard_ms      key hadamard, milliseconds
--   ar_count         kernels of key allreduce
--   comm_count       communication kernels (category group comm)
--   kernel_count     kernels of the layer
CREATE VIEW layer_detail AS
SELECT
    run_id,
    device,
    pass_idx,
    layer_idx,
    layer_type,
    compress_ratio,
    CAST(start_ns - trace_start_ns AS DOUBLE) / 1e6 AS start_rel_ms,
    wall_us / 1e3                                 AS wall_ms,
    sum_us / 1e3                                  AS sum_ms,
    busy_us / 1e3                                 AS busy_ms,
    idle_us / 1e3                                 AS idle_ms,
    exposed_comm_us / 1e3                         AS exposed_comm_ms,
    CAST(mla_ns AS DOUBLE) / 1e6                    AS mla_ms,
    CAST(moe_ns AS DOUBLE) / 1e6                    AS moe_ms,
    CAST(gemm_ns AS DOUBLE) / 1e6                   AS gemm_ms,
    CAST(comm_ns AS DOUBLE) / 1e6                   AS comm_ms,
    CAST(mhc_ns AS DOUBLE) / 1e6                    AS mhc_ms,
    CAST(hadamard_ns AS DOUBLE) / 1e6               AS hadamard_ms,
    ar_count,
    comm_count,
    kernel_count
FROM _layer_fixed_categories;
