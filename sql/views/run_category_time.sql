-- run_category_time: kernel time per run, device, forward pass and category key, for pivoting runs against each
-- other (llmpipe compare, BI tools). Every kernel of the pass counts (prologue and epilogue included).
--   run_id          run
--   device          GPU device
--   pass_idx        0-based forward pass
--   category        category key (docs/profiles.md, 'Categories')
--   category_group  coarse group of the key ('other' when no rule of the run names it): the level at which
--                   kernels of different vendors meet (attention, gemm, elementwise, copy, ...)
--   time_us         summed kernel duration, microseconds
--   kernel_count    kernel instances
--   share           time_us as a fraction (0..1) of the summed kernel duration of the pass
CREATE VIEW run_category_time AS
SELECT
    t.run_id,
    t.device,
    t.pass_idx,
    t.category,
    COALESCE(g.category_group, 'other')                                        AS category_group,
    CAST(t.time_ns AS DOUBLE) / 1e3                                              AS time_us,
    t.kernel_count,
    CAST(t.time_ns AS DOUBLE)
        / NULLIF(SUM(t.time_ns) OVER (PARTITION BY t.run_id, t.device, t.pass_idx), 0) AS share
FROM (
    SELECT run_id, device, pass_idx, category, SUM(dur_ns) AS time_ns, COUNT(*) AS kernel_count
    FROM _kernel_labels
    WHERE pass_idx IS NOT NULL
    GROUP BY run_id, device, pass_idx, category
) AS t
LEFT JOIN _category_groups AS g ON g.run_id = t.run_id AND g.category = t.category;
