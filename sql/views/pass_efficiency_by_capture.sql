-- pass_efficiency_by_capture: a multi-rank capture's work per forward pass, as one job: the ranks' work summed, over the
-- slowest rank's wall, against the peaks of all its GPUs (a capture is the set of rank files of one profiling run;
-- each rank's pass N is the same step). Only passes that every rank of the capture has a row for are aggregated as
-- they are; a rank whose GPU or work is unknown makes the percentages NULL.
--   capture_id       capture (runs.capture_id)
--   pass_idx         0-based forward pass, the same on every rank
--   ranks            ranks with this pass
--   flops            FLOPs of the pass summed over the ranks (pass_efficiency.flops)
--   bytes            bytes moved, summed over the ranks
--   slowest_wall_us  the longest wall of the pass among the ranks, microseconds
--   slowest_run_id   the run (rank) with that wall
--   achieved_tflops  flops / slowest wall, TFLOP/s
--   peak_tflops      the ranks' dense peaks summed (each at its pass's peak_dtype), TFLOP/s; NULL when a rank's is unknown
--   peak_gbps        the ranks' peak memory bandwidths summed, GB/s; NULL when a rank's is unknown
--   mfu_pct          100 * flops / (slowest wall * peak_tflops), %
--   mbu_pct          100 * bytes / (slowest wall * peak_gbps), %
CREATE VIEW pass_efficiency_by_capture AS
WITH e AS (
    SELECT r.capture_id, pe.run_id, pe.pass_idx, pe.flops, pe.bytes, pe.wall_us, pe.peak_tflops, pe.peak_gbps
    FROM pass_efficiency AS pe
    JOIN runs AS r ON r.run_id = pe.run_id
    WHERE r.capture_id IS NOT NULL
), g AS (
    SELECT capture_id, pass_idx, COUNT(*) AS ranks, SUM(flops) AS flops, SUM(bytes) AS bytes, MAX(wall_us) AS wall_us,
           CASE WHEN COUNT(peak_tflops) = COUNT(*) THEN SUM(peak_tflops) END AS peak_tflops,
           CASE WHEN COUNT(peak_gbps) = COUNT(*) THEN SUM(peak_gbps) END AS peak_gbps,
           CASE WHEN COUNT(flops) = COUNT(*) THEN 1 ELSE 0 END AS all_known
    FROM e GROUP BY capture_id, pass_idx
)
SELECT
    g.capture_id,
    g.pass_idx,
    g.ranks,
    CAST(g.flops AS BIGINT) AS flops,
    CAST(g.bytes AS BIGINT) AS bytes,
    g.wall_us AS slowest_wall_us,
    (SELECT MIN(e.run_id) FROM e WHERE e.capture_id = g.capture_id AND e.pass_idx = g.pass_idx AND e.wall_us = g.wall_us) AS slowest_run_id,
    CAST(CASE WHEN g.wall_us > 0 THEN CAST(g.flops AS DOUBLE) / (g.wall_us * 1e6) END AS DOUBLE) AS achieved_tflops,
    CAST(g.peak_tflops AS DOUBLE) AS peak_tflops,
    CAST(g.peak_gbps AS DOUBLE) AS peak_gbps,
    CAST(CASE WHEN g.all_known = 1 AND g.wall_us > 0 AND g.peak_tflops > 0
              THEN 100.0 * CAST(g.flops AS DOUBLE) / (g.wall_us * 1e6) / g.peak_tflops END AS DOUBLE) AS mfu_pct,
    CAST(CASE WHEN g.all_known = 1 AND g.wall_us > 0 AND g.peak_gbps > 0
              THEN 100.0 * CAST(g.bytes AS DOUBLE) / (g.wall_us * 1e3) / g.peak_gbps END AS DOUBLE) AS mbu_pct
FROM g;
