-- rank_layer_skew: for every capture (the rank files of one profiling run), one row per forward pass, layer and
-- rank: the layer's wall time on that rank, its communication-kernel time, its start on the capture's common time
-- base, and across the capture's ranks the spread of wall times and the slowest rank. Each rank's run is read on
-- its lowest GPU device; ranks are compared pass by pass and layer by layer (same pass_idx and layer_idx).
--   capture_id        capture (captures table)
--   pass_idx          0-based forward pass
--   layer_idx         0-based layer
--   layer_type        composable layer label
--   rank              the run's rank (runs.rank)
--   run_id, device    the rank's run and device
--   wall_us           layer wall time on this rank, microseconds
--   comm_us           summed duration of the layer's communication kernels (category group comm), microseconds
--   start_aligned_ns  layer start on the capture's common time base (start_ns + runs.time_offset_ns), ns
--   start_skew_us     start_aligned_ns minus the earliest start of this layer over the ranks, microseconds
--   rank_count        ranks present for this pass and layer
--   spread_us         max - min of wall_us over the ranks, microseconds
--   slowest_rank      the rank with the largest wall_us (lowest rank on ties)
CREATE VIEW rank_layer_skew AS
SELECT
    capture_id,
    pass_idx,
    layer_idx,
    layer_type,
    rank,
    run_id,
    device,
    wall_us,
    comm_us,
    start_aligned_ns,
    CAST(start_aligned_ns - MIN(start_aligned_ns) OVER (PARTITION BY capture_id, pass_idx, layer_idx) AS DOUBLE) / 1e3       AS start_skew_us,
    COUNT(*) OVER (PARTITION BY capture_id, pass_idx, layer_idx)                                                          AS rank_count,
    MAX(wall_us) OVER (PARTITION BY capture_id, pass_idx, layer_idx) - MIN(wall_us) OVER (PARTITION BY capture_id, pass_idx, layer_idx)                                AS spread_us,
    FIRST_VALUE(rank) OVER (PARTITION BY capture_id, pass_idx, layer_idx ORDER BY wall_us DESC, rank) AS slowest_rank
FROM (
    SELECT
        r.capture_id,
        l.pass_idx,
        l.layer_idx,
        l.layer_type,
        r.rank,
        l.run_id,
        l.device,
        l.wall_us,
        CAST(COALESCE(c.comm_ns, 0) AS DOUBLE) / 1e3 AS comm_us,
        l.start_ns + r.time_offset_ns              AS start_aligned_ns
    FROM layers AS l
    JOIN runs AS r ON r.run_id = l.run_id
    LEFT JOIN (
        SELECT k.run_id, k.device, k.pass_idx, k.layer_idx, SUM(k.dur_ns) AS comm_ns
        FROM _kernel_labels AS k
        JOIN _category_groups AS g ON g.run_id = k.run_id AND g.category = k.category
        WHERE g.category_group = 'comm' AND k.layer_idx IS NOT NULL
        GROUP BY k.run_id, k.device, k.pass_idx, k.layer_idx
    ) AS c ON c.run_id = l.run_id AND c.device = l.device AND c.pass_idx = l.pass_idx AND c.layer_idx = l.layer_idx
    WHERE r.capture_id IS NOT NULL
      AND l.device = (SELECT MIN(l2.device) FROM layers AS l2 WHERE l2.run_id = l.run_id)
) AS per_rank;
