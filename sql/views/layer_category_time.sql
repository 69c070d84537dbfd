-- layer_category_time: one row per category key per transformer layer per pass, run and device: the time a
-- layer spends in each kind of kernel (what `llmpipe layers` pivots by category_group and `llmpipe kernels`
-- prints as its category summary).
--   run_id, device, pass_idx, layer_idx   the layer
--   category          category key (kernels.category, docs/profiles.md)
--   category_group    coarse group of the key; 'other' when no rule of the run names the key
--   label             display label of the key (category_rules.label), NULL when no rule names it
--   time_us           summed kernel duration, microseconds (exact to the ns)
--   time_ms           the same in milliseconds
--   kernel_count      kernels of this category in the layer
--   share_pct         time_us as a percentage of the layer's summed kernel time (NULL when that is 0)
--   first_kernel_idx  kernel_idx of the category's first kernel in the layer (trace order)
CREATE VIEW layer_category_time AS
SELECT
    k.run_id,
    k.device,
    k.pass_idx,
    k.layer_idx,
    k.category,
    COALESCE(g.category_group, 'other') AS category_group,
    g.label,
    CAST(SUM(k.dur_ns) AS DOUBLE) / 1e3   AS time_us,
    CAST(SUM(k.dur_ns) AS DOUBLE) / 1e6   AS time_ms,
    COUNT(*)                            AS kernel_count,
    CAST(SUM(k.dur_ns) AS DOUBLE) * 100
        / NULLIF(SUM(SUM(k.dur_ns)) OVER (PARTITION BY k.run_id, k.device, k.pass_idx, k.layer_idx), 0) AS share_pct,
    MIN(k.kernel_idx)                   AS first_kernel_idx
FROM _kernel_labels AS k
LEFT JOIN _category_groups AS g ON g.run_id = k.run_id AND g.category = k.category
WHERE k.role = 'layer'
GROUP BY k.run_id, k.device, k.pass_idx, k.layer_idx, k.category, g.category_group, g.label;
