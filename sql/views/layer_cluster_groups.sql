-- layer_cluster_groups: one row per category group per layer type per pass, run and device: how a cluster's
-- summed kernel time divides among the category groups of docs/profiles.md (what `llmpipe clusters` pivots).
--   run_id, device, pass_idx   the pass
--   layer_type          composable layer label (as in layer_clusters)
--   category_group      coarse category group (attention, gemm, moe, comm, ...); 'other' for unmatched kernels
--   time_us             summed duration of the group's kernels in the cluster's layers, microseconds
--   kernel_count        kernels of the group in the cluster's layers
--   share_pct           time_us as a percentage of the cluster's summed kernel time
CREATE VIEW layer_cluster_groups AS
SELECT
    k.run_id,
    k.device,
    k.pass_idx,
    l.layer_type,
    COALESCE(g.category_group, 'other')   AS category_group,
    CAST(SUM(k.dur_ns) AS DOUBLE) / 1e3     AS time_us,
    COUNT(*)                              AS kernel_count,
    CAST(SUM(k.dur_ns) AS DOUBLE) * 100
        / NULLIF(SUM(SUM(k.dur_ns)) OVER (PARTITION BY k.run_id, k.device, k.pass_idx, l.layer_type), 0) AS share_pct
FROM _kernel_labels AS k
JOIN layers AS l
  ON l.run_id = k.run_id AND l.device = k.device AND l.pass_idx = k.pass_idx AND l.layer_idx = k.layer_idx
LEFT JOIN _category_groups AS g ON g.run_id = k.run_id AND g.category = k.category
WHERE k.role = 'layer'
GROUP BY k.run_id, k.device, k.pass_idx, l.layer_type, COALESCE(g.category_group, 'other');
