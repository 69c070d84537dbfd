-- pass_timeline: one row per forward pass per run and device, every pass. Times are relative to runs.trace_start_ns
-- (the earliest ts of any usable event). Pass totals include the pass's prologue and epilogue (docs/segmentation.md).
--   run_id          run
--   device          GPU device
--   pass_idx        0-based forward pass within run and device
--   start_s         pass start (earliest kernel start) - trace start, seconds
--   end_s           pass end (latest kernel end) - trace start, seconds
--   duration_ms     end - start, milliseconds (the Duration of the llm-pipeline-analysis all-passes table)
--   avg_layer_ms    mean wall of the pass's layers (each from its input norm to the next layer's start),
--                   milliseconds; NULL when the pass has no layer
--   first_layer_ms  wall of layer 0 of the pass, milliseconds; NULL when the pass has no layer 0
--   note            against the passes of the same phase (layer-0 walls; pass walls in a run without layers):
--                   cold-start (first pass, >= 10 % slower than the later passes' median), steady-state (within 5 %
--                   of the previous pass), growing <g>x (grew more than 1.5x), or NULL
--   layer_count     transformer layers present in the pass
--   kernel_count    kernels of the pass (prologue and epilogue included)
--   is_partial      1 when the pass lacks layers (the trace starts or ends inside it)
--   phase           prefill, decode, mixed, idle (a padding step: no token count, no note), or NULL while unknown
--   wall_ms         latest kernel end - earliest kernel start, milliseconds
--   sum_ms          sum of kernel durations, milliseconds
--   busy_ms         length of the union of kernel intervals (overlapping streams counted once), milliseconds
--   idle_ms         wall - busy, milliseconds
--   exposed_comm_ms communication-kernel time not overlapped by any other kernel, milliseconds
--   batch_size      requests in the step, from its step annotation (NULL when it does not say)
--   token_count     tokens in the step, from its step annotation (NULL when it does not say)
--   is_outlier      1 for ramp-up passes and passes far from the median wall of their phase
--   outlier_reason  why is_outlier is 1 (ramp-up or outlier, the ratio and the median compared with)
--   phase_source    the annotation or kernel that decided phase
--   parts_overlap_ms  sum of the busy time of the pass's parts (pass_parts) - the pass's busy time, milliseconds
--                   rounded to the ns: 0 unless kernels of two parts overlap in time (another stream running across a
--                   layer boundary); NULL when the pass has no parts stored
--   kernel_coverage_ratio  busy / wall of the pass, 0..1: the share of the step span covered by recorded kernels
--                   ("sum of kernel time / step span"; equal to sum / wall on one stream,
--                   overlapping streams counted once); NULL when wall is 0
--   replay_coverage share of the pass's graph-replay kernels (those launched by a cudaGraphLaunch / hipGraphLaunch)
--                   that were given op_name, input dims and modules from a capture trace, 0..1; NULL when the pass
--                   has no graph-replay kernels (runs.replay_match says how they were aligned)
--   coverage_note   when kernel_coverage_ratio < 0.5, 'low kernel coverage (<r>): ' and the cause the trace supports:
--                   with graph launches (runs.graph_launch_count > 0) 'GPU work may be missing (graph while-node,
--                   kineto #1062)' (later iterations of a CUDA-graph while-node are not traced); with none 'the GPU idles
--                   <p>% of the pass between eager kernel launches (no graph launch in the trace): CPU-bound, the host
--                   launches too slowly'; unknown launches (GPU-only trace, older run) name both; else NULL
CREATE VIEW pass_timeline AS
SELECT
    p.run_id,
    p.device,
    p.pass_idx,
    CAST(p.start_ns - r.trace_start_ns AS DOUBLE) / 1e9                       AS start_s,
    CAST(p.end_ns - r.trace_start_ns AS DOUBLE) / 1e9                         AS end_s,
    CAST(p.end_ns - p.start_ns AS DOUBLE) / 1e6                               AS duration_ms,
    (SELECT AVG(l.wall_us) FROM layers AS l
      WHERE l.run_id = p.run_id AND l.device = p.device AND l.pass_idx = p.pass_idx) / 1e3 AS avg_layer_ms,
    l0.wall_us / 1e3                                                        AS first_layer_ms,
    p.note,
    p.layer_count,
    p.kernel_count,
    p.is_partial,
    p.phase,
    p.wall_us / 1e3                                                         AS wall_ms,
    p.sum_us / 1e3                                                          AS sum_ms,
    p.busy_us / 1e3                                                         AS busy_ms,
    p.idle_us / 1e3                                                         AS idle_ms,
    p.exposed_comm_us / 1e3                                                 AS exposed_comm_ms,
    p.batch_size,
    p.token_count,
    p.is_outlier,
    p.outlier_reason,
    p.phase_source,
    CAST(ROUND(((SELECT SUM(x.busy_us) FROM pass_part_rows AS x
                 WHERE x.run_id = p.run_id AND x.device = p.device AND x.pass_idx = p.pass_idx) - p.busy_us) * 1e3) AS DOUBLE) / 1e6
                                                                            AS parts_overlap_ms,
    CASE WHEN p.wall_us > 0 THEN CAST(p.busy_us AS DOUBLE) / p.wall_us END   AS kernel_coverage_ratio,
    CASE WHEN p.wall_us > 0 AND CAST(p.busy_us AS DOUBLE) / p.wall_us < 0.5
         THEN 'low kernel coverage (' || printf('%.2f', CAST(p.busy_us AS DOUBLE) / p.wall_us) || '): '
              || CASE WHEN r.graph_launch_count > 0
                      THEN 'GPU work may be missing (graph while-node, kineto #1062)'
                      WHEN r.graph_launch_count = 0
                      THEN 'the GPU idles ' || printf('%.0f', 100.0 * p.idle_us / p.wall_us)
                           || '% of the pass between eager kernel launches (no graph launch in the trace): CPU-bound, the host launches too slowly'
                      ELSE 'the GPU idles ' || printf('%.0f', 100.0 * p.idle_us / p.wall_us)
                           || '% of the pass: between eager launches (CPU-bound), or GPU work was not traced (graph while-node, kineto #1062)'
                 END END AS coverage_note,
    CAST(rc.attributed AS DOUBLE) / rc.replay_kernels                       AS replay_coverage
FROM passes AS p
JOIN runs AS r ON r.run_id = p.run_id
LEFT JOIN layers AS l0
       ON l0.run_id = p.run_id AND l0.device = p.device AND l0.pass_idx = p.pass_idx AND l0.layer_idx = 0
LEFT JOIN (
    -- graph-replay kernels per pass, and how many have a launching op from a capture trace; only runs with replays
    SELECT k.run_id, k.device, k.pass_idx, COUNT(*) AS replay_kernels, COUNT(c.op_name) AS attributed
    FROM _kernel_labels AS k
    LEFT JOIN launch_contexts AS c ON c.context_id = k.context_id
    WHERE k.run_id IN (SELECT run_id FROM runs WHERE replay_kernels > 0)
      AND k.pass_idx IS NOT NULL
      AND k.correlation IN (SELECT g.correlation FROM launches AS g WHERE g.run_id = k.run_id AND g.name LIKE '%GraphLaunch%')
    GROUP BY k.run_id, k.device, k.pass_idx
) AS rc ON rc.run_id = p.run_id AND rc.device = p.device AND rc.pass_idx = p.pass_idx;
