-- kernel_summary: GPU kernel time per kernel name or per category, like `nsys stats`' cuda_gpu_kern_sum, for each
-- pass (scope 'pass') and for the whole run and device (scope 'run', every kernel, inside a pass or not).
--   run_id, device     the run and GPU device
--   scope              'pass' (one forward pass, prologue and epilogue included) or 'run' (all kernels)
--   pass_idx           the pass for scope 'pass'; NULL for scope 'run'
--   grouping           'name' (one row per simplified kernel name and category) or 'category' (one row per key)
--   simplified_name    simplified kernel name (docs/profiles.md, 'Name simplification'); NULL for grouping 'category'
--   category           category key (docs/profiles.md, 'Categories')
--   category_group     coarse group of the key; 'other' when no rule of the run names the key
--   kernel_count       kernel instances
--   total_us           summed duration, microseconds
--   mean_us            mean duration, microseconds
--   min_us             shortest duration, microseconds
--   max_us             longest duration, microseconds
--   share_pct          total_us as a percentage of the summed duration of every kernel in the scope
CREATE VIEW kernel_summary AS
SELECT
    run_id,
    device,
    scope,
    pass_idx,
    grouping,
    simplified_name,
    category,
    category_group,
    kernel_count,
    CAST(total_ns AS DOUBLE) / 1e3                 AS total_us,
    CAST(total_ns AS DOUBLE) / 1e3 / kernel_count  AS mean_us,
    CAST(min_ns AS DOUBLE) / 1e3                   AS min_us,
    CAST(max_ns AS DOUBLE) / 1e3                   AS max_us,
    CAST(total_ns AS DOUBLE) * 100
        / NULLIF(SUM(total_ns) OVER (PARTITION BY run_id, device, scope, pass_idx, grouping), 0) AS share_pct
FROM (
    SELECT k.run_id, k.device, 'pass' AS scope, k.pass_idx AS pass_idx, 'name' AS grouping, n.simplified_name AS simplified_name,
           k.category, COALESCE(g.category_group, 'other') AS category_group,
           COUNT(*) AS kernel_count, SUM(k.dur_ns) AS total_ns, MIN(k.dur_ns) AS min_ns, MAX(k.dur_ns) AS max_ns
    FROM _kernel_labels AS k
    JOIN kernel_names AS n ON n.name_id = k.name_id
    LEFT JOIN _category_groups AS g ON g.run_id = k.run_id AND g.category = k.category
    WHERE k.pass_idx IS NOT NULL
    GROUP BY k.run_id, k.device, k.pass_idx, n.simplified_name, k.category, g.category_group
    UNION ALL
    SELECT k.run_id, k.device, 'pass' AS scope, k.pass_idx AS pass_idx, 'category' AS grouping, NULL AS simplified_name,
           k.category, COALESCE(g.category_group, 'other') AS category_group,
           COUNT(*) AS kernel_count, SUM(k.dur_ns) AS total_ns, MIN(k.dur_ns) AS min_ns, MAX(k.dur_ns) AS max_ns
    FROM _kernel_labels AS k
    LEFT JOIN _category_groups AS g ON g.run_id = k.run_id AND g.category = k.category
    WHERE k.pass_idx IS NOT NULL
    GROUP BY k.run_id, k.device, k.pass_idx, k.category, g.category_group
    UNION ALL
    SELECT k.run_id, k.device, 'run' AS scope, NULL AS pass_idx, 'name' AS grouping, n.simplified_name AS simplified_name,
           k.category, COALESCE(g.category_group, 'other') AS category_group,
           COUNT(*) AS kernel_count, SUM(k.dur_ns) AS total_ns, MIN(k.dur_ns) AS min_ns, MAX(k.dur_ns) AS max_ns
    FROM _kernel_labels AS k
    JOIN kernel_names AS n ON n.name_id = k.name_id
    LEFT JOIN _category_groups AS g ON g.run_id = k.run_id AND g.category = k.category
    GROUP BY k.run_id, k.device, n.simplified_name, k.category, g.category_group
    UNION ALL
    SELECT k.run_id, k.device, 'run' AS scope, NULL AS pass_idx, 'category' AS grouping, NULL AS simplified_name,
           k.category, COALESCE(g.category_group, 'other') AS category_group,
           COUNT(*) AS kernel_count, SUM(k.dur_ns) AS total_ns, MIN(k.dur_ns) AS min_ns, MAX(k.dur_ns) AS max_ns
    FROM _kernel_labels AS k
    LEFT JOIN _category_groups AS g ON g.run_id = k.run_id AND g.category = k.category
    GROUP BY k.run_id, k.device, k.category, g.category_group
) AS per_group;
