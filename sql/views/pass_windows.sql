-- pass_windows: one row per window, a maximal run of consecutive forward passes of one run and device that all have
-- the same phase (issue 4, docs/messy-traces.md, B31: a window's label is derived from the passes actually inside it, so
-- it always equals its content; a "mixed" window never holds decode passes, and a phase absent from the run has no
-- window). Passes of unknown phase form windows of their own, labelled unknown. Idle padding steps (phase idle,
-- SGLang step[idle]) belong to no window and do not split one: the passes around them are consecutive here.
--   run_id             run
--   device             GPU device
--   window_idx         0-based window within run and device, in pass order
--   first_pass_idx     first pass of the window
--   last_pass_idx      last pass of the window
--   pass_count         passes in the window (last_pass_idx - first_pass_idx + 1, less the idle steps inside)
--   phase              the phase of every pass in the window: prefill, decode, mixed, or unknown (passes.phase NULL)
--   steady_pass_count  passes of the window that are complete and not flagged ramp-up or outlier (passes.is_outlier = 0)
--   wall_ms            sum of the passes' wall times, milliseconds
--   mean_wall_ms       wall_ms / pass_count, milliseconds
CREATE VIEW pass_windows AS
WITH labelled AS (
    SELECT
        run_id,
        device,
        pass_idx,
        COALESCE(phase, 'unknown') AS phase,
        CASE WHEN is_outlier = 0 AND is_partial = 0 THEN 1 ELSE 0 END AS is_steady,
        wall_us,
        ROW_NUMBER() OVER (PARTITION BY run_id, device ORDER BY pass_idx)
          - ROW_NUMBER() OVER (PARTITION BY run_id, device, COALESCE(phase, 'unknown') ORDER BY pass_idx) AS island
    FROM passes
    WHERE phase IS NULL OR phase <> 'idle'
)
SELECT
    run_id,
    device,
    ROW_NUMBER() OVER (PARTITION BY run_id, device ORDER BY MIN(pass_idx)) - 1 AS window_idx,
    MIN(pass_idx)                                          AS first_pass_idx,
    MAX(pass_idx)                                          AS last_pass_idx,
    COUNT(*)                                               AS pass_count,
    phase,
    SUM(is_steady)                                         AS steady_pass_count,
    CAST(SUM(wall_us) AS DOUBLE) / 1e3                     AS wall_ms,
    CAST(SUM(wall_us) AS DOUBLE) / 1e3 / COUNT(*)          AS mean_wall_ms
FROM labelled
GROUP BY run_id, device, phase, island;
