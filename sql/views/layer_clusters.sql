-- layer_clusters: one row per layer type (the whole composable label, e.g. MIDDLE+CSA_C4+MOE) per pass, run and
-- device (the cluster table of the llm-pipeline-analysis scripts, but listing every label present:
-- docs/reference-analysis.md). Shares are of the cluster's summed kernel time (sum of the layers' sum_us), as
-- there; the share of every category group is in layer_cluster_groups.
--   run_id, device, pass_idx   the pass
--   layer_type          composable layer label
--   first_layer_idx     lowest layer_idx of the cluster (report order)
--   layer_count         layers with this label
--   avg_wall_ms         mean layer wall, milliseconds
--   avg_sum_ms          mean layer summed kernel time, milliseconds
--   avg_busy_ms         mean layer busy time, milliseconds
--   avg_idle_ms         mean layer idle time, milliseconds
--   avg_exposed_comm_ms  mean non-overlapped communication time, milliseconds
--   total_sum_ms        summed kernel time of all layers of the cluster, milliseconds
--   mla_pct, moe_pct, gemm_pct, comm_pct, mhc_pct, hadamard_pct
--                       the fixed categories of layer_detail as a percentage of total_sum_ms (NULL when it is 0)
CREATE VIEW layer_clusters AS
SELECT
    run_id,
    device,
    pass_idx,
    layer_type,
    MIN(layer_idx)              AS first_layer_idx,
    COUNT(*)                    AS layer_count,
    AVG(wall_us) / 1e3          AS avg_wall_ms,
    AVG(sum_us) / 1e3           AS avg_sum_ms,
    AVG(busy_us) / 1e3          AS avg_busy_ms,
    AVG(idle_us) / 1e3          AS avg_idle_ms,
    AVG(exposed_comm_us) / 1e3  AS avg_exposed_comm_ms,
    SUM(sum_us) / 1e3           AS total_sum_ms,
    CAST(SUM(mla_ns) AS DOUBLE) / 10 / NULLIF(SUM(sum_us), 0)      AS mla_pct,
    CAST(SUM(moe_ns) AS DOUBLE) / 10 / NULLIF(SUM(sum_us), 0)      AS moe_pct,
    CAST(SUM(gemm_ns) AS DOUBLE) / 10 / NULLIF(SUM(sum_us), 0)     AS gemm_pct,
    CAST(SUM(comm_ns) AS DOUBLE) / 10 / NULLIF(SUM(sum_us), 0)     AS comm_pct,
    CAST(SUM(mhc_ns) AS DOUBLE) / 10 / NULLIF(SUM(sum_us), 0)      AS mhc_pct,
    CAST(SUM(hadamard_ns) AS DOUBLE) / 10 / NULLIF(SUM(sum_us), 0) AS hadamard_pct
FROM _layer_fixed_categories
GROUP BY run_id, device, pass_idx, layer_type;
