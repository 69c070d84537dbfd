-- pass_efficiency: each forward pass's work (the sum of all its kernels' kernel_work: prologue, layers, epilogue)
-- set against its wall time and its GPU's peaks. MFU (model FLOPs utilisation) measures compute-bound prefill, MBU
-- (memory-bandwidth utilisation) memory-bound decode. mfu_pct uses the peak of the dtype that carries most of the
-- pass's FLOPs (peak_dtype).
--   run_id           run
--   device           GPU device
--   pass_idx         0-based forward pass
--   phase            prefill, decode, mixed, idle or NULL (passes.phase)
--   flops            FLOPs of the pass's kernels with a known work
--   bytes            bytes moved by those kernels
--   sum_us           sum of the pass's kernel durations, microseconds
--   wall_us          the pass's wall time, microseconds
--   achieved_tflops  flops / wall, TFLOP/s
--   achieved_gbps    bytes / wall, GB/s
--   peak_dtype       dtype carrying most of the FLOPs (fp32, tf32, bf16, fp16, fp8, fp4, int8)
--   peak_tflops      the GPU's dense peak for peak_dtype, TFLOP/s; NULL for an unknown GPU
--   peak_gbps        the GPU's peak memory bandwidth, GB/s; NULL for an unknown GPU
--   mfu_pct          100 * flops / (wall * peak_tflops), %
--   mbu_pct          100 * bytes / (wall * peak_gbps), %
--   flops_source     shapes when some kernel's work came from its op's shapes, else NULL
--   kernels_with_work  kernels of the pass with a known work
--   kernel_count     kernels of the pass
--   is_partial       1 when the pass lacks layers (trace started or ended inside it)
CREATE VIEW pass_efficiency AS
WITH w AS (
    SELECT r.run_id, r.device, r.pass_idx, kw.compute_dtype, kw.flops, kw.bytes
    FROM kernel_rows AS r
    JOIN kernel_work AS kw ON kw.context_id = r.context_id AND kw.name_id = r.name_id
    WHERE r.pass_idx IS NOT NULL
), totals AS (
    SELECT run_id, device, pass_idx, SUM(flops) AS flops, SUM(bytes) AS bytes, COUNT(*) AS kernels_with_work
    FROM w GROUP BY run_id, device, pass_idx
), by_dtype AS (
    SELECT run_id, device, pass_idx, compute_dtype,
           ROW_NUMBER() OVER (PARTITION BY run_id, device, pass_idx ORDER BY SUM(flops) DESC, compute_dtype) AS rn
    FROM w WHERE flops > 0 AND compute_dtype IS NOT NULL
    GROUP BY run_id, device, pass_idx, compute_dtype
), bw AS (
    SELECT run_id, MAX(peak_gbps) AS peak_gbps FROM gpu_peaks GROUP BY run_id
)
SELECT
    ps.run_id, ps.device, ps.pass_idx, ps.phase,
    CAST(t.flops AS BIGINT) AS flops, CAST(t.bytes AS BIGINT) AS bytes, ps.sum_us, ps.wall_us,
    CAST(CASE WHEN ps.wall_us > 0 THEN CAST(t.flops AS DOUBLE) / (ps.wall_us * 1e6) END AS DOUBLE) AS achieved_tflops,
    CAST(CASE WHEN ps.wall_us > 0 THEN CAST(t.bytes AS DOUBLE) / (ps.wall_us * 1e3) END AS DOUBLE) AS achieved_gbps,
    d.compute_dtype AS peak_dtype,
    p.peak_tflops,
    CAST(bw.peak_gbps AS DOUBLE) AS peak_gbps,
    CAST(CASE WHEN ps.wall_us > 0 AND p.peak_tflops > 0 THEN 100.0 * CAST(t.flops AS DOUBLE) / (ps.wall_us * 1e6) / p.peak_tflops END AS DOUBLE) AS mfu_pct,
    CAST(CASE WHEN ps.wall_us > 0 AND bw.peak_gbps > 0 THEN 100.0 * CAST(t.bytes AS DOUBLE) / (ps.wall_us * 1e3) / bw.peak_gbps END AS DOUBLE) AS mbu_pct,
    CASE WHEN t.flops IS NOT NULL THEN 'shapes' END AS flops_source,
    CAST(COALESCE(t.kernels_with_work, 0) AS BIGINT) AS kernels_with_work,
    ps.kernel_count,
    ps.is_partial
FROM passes AS ps
LEFT JOIN totals AS t ON t.run_id = ps.run_id AND t.device = ps.device AND t.pass_idx = ps.pass_idx
LEFT JOIN by_dtype AS d ON d.run_id = ps.run_id AND d.device = ps.device AND d.pass_idx = ps.pass_idx AND d.rn = 1
LEFT JOIN gpu_peaks AS p ON p.run_id = ps.run_id AND p.dtype = d.compute_dtype
LEFT JOIN bw ON bw.run_id = ps.run_id;
