-- perfetto_ranges: one row per forward pass (kind 'pass') and per transformer layer (kind 'layer') of every run
-- and device, as time ranges to look at in the Perfetto UI, at microsecond precision (docs/trace-format.md,
-- 'Perfetto's timestamps').
--   kind               'pass' or 'layer'
--   run_id, device, pass_idx   the pass
--   layer_idx          the layer; NULL for kind 'pass'
--   layer_type         the layer's composable label; NULL for kind 'pass'
--   start_s            range start - runs.trace_start_ns, seconds rounded to the microsecond (what Perfetto's
--                      timeline shows)
--   end_s              range end - runs.trace_start_ns, seconds rounded to the microsecond
--   duration_ms        end - start, milliseconds
--   perfetto_start_ns  range start in the nanoseconds Perfetto uses for the file's timestamps: its JSON importer turns
--                      ts (us) into ns through a double, llround(ts * 1000) (docs/trace-format.md), so for absolute epoch
--                      ts this differs from start_ns by up to a few hundred ns; baseTimeNanoseconds is not added,
--                      Perfetto ignores it. Runs ingested before these columns existed fall back to start_ns.
--   perfetto_end_ns    range end, same base: the greatest Perfetto ts + Perfetto dur of the range's kernels
--   url                Perfetto UI deep link opening the trace served by `llmpipe perfetto --serve` on
--                      http://127.0.0.1:9001/<trace file name> with visStart/visEnd set to the range
CREATE VIEW perfetto_ranges AS
SELECT
    'pass'                                                  AS kind,
    p.run_id,
    p.device,
    p.pass_idx,
    NULL                                                    AS layer_idx,
    NULL                                                    AS layer_type,
    ROUND(CAST(p.start_ns - r.trace_start_ns AS DOUBLE) / 1e9, 6) AS start_s,
    ROUND(CAST(p.end_ns - r.trace_start_ns AS DOUBLE) / 1e9, 6)   AS end_s,
    CAST(p.end_ns - p.start_ns AS DOUBLE) / 1e6               AS duration_ms,
    COALESCE(p.perfetto_start_ns, p.start_ns)            AS perfetto_start_ns,
    COALESCE(p.perfetto_end_ns, p.end_ns)                AS perfetto_end_ns,
    'https://ui.perfetto.dev/#!/?url=http://127.0.0.1:9001/'
        || substr(replace(r.source_path, '\', '/'),
                  length(rtrim(replace(r.source_path, '\', '/'),
                               replace(replace(r.source_path, '\', '/'), '/', ''))) + 1)
        || '&visStart=' || CAST(COALESCE(p.perfetto_start_ns, p.start_ns) AS VARCHAR)
        || '&visEnd=' || CAST(COALESCE(p.perfetto_end_ns, p.end_ns) AS VARCHAR)             AS url
FROM passes AS p
JOIN runs AS r ON r.run_id = p.run_id
UNION ALL
SELECT
    'layer'                                                 AS kind,
    l.run_id,
    l.device,
    l.pass_idx,
    l.layer_idx,
    l.layer_type,
    ROUND(CAST(l.start_ns - r.trace_start_ns AS DOUBLE) / 1e9, 6) AS start_s,
    ROUND(CAST(l.end_ns - r.trace_start_ns AS DOUBLE) / 1e9, 6)   AS end_s,
    CAST(l.end_ns - l.start_ns AS DOUBLE) / 1e6               AS duration_ms,
    COALESCE(l.perfetto_start_ns, l.start_ns)            AS perfetto_start_ns,
    COALESCE(l.perfetto_end_ns, l.end_ns)                AS perfetto_end_ns,
    'https://ui.perfetto.dev/#!/?url=http://127.0.0.1:9001/'
        || substr(replace(r.source_path, '\', '/'),
                  length(rtrim(replace(r.source_path, '\', '/'),
                               replace(replace(r.source_path, '\', '/'), '/', ''))) + 1)
        || '&visStart=' || CAST(COALESCE(l.perfetto_start_ns, l.start_ns) AS VARCHAR)
        || '&visEnd=' || CAST(COALESCE(l.perfetto_end_ns, l.end_ns) AS VARCHAR)             AS url
FROM layers AS l
JOIN runs AS r ON r.run_id = l.run_id;
