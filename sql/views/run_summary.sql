-- run_summary: one row per run: its metadata (runs) and how much of it was segmented.
--   run_id            run (1, 2, 3 ... in ingest order)
--   label             free text given with --label
--   model             model name (given or inferred)
--   framework         vllm, sglang, trtllm, ... (given or inferred)
--   gpu_name          deviceProperties[0].name
--   rank              distributedInfo.rank, else from the file name
--   world_size        distributedInfo.world_size
--   profile           model profile used for segmentation and categories
--   anchor_kernel     anchor pattern (case-insensitive substring), NULL when none found
--   anchor_role       'opens' or 'closes'
--   num_layers        transformer layers per pass used by every report
--   blocks_per_layer  anchor blocks per layer
--   layer_evidence    what set the layer boundaries: module_scopes (decoder-layer nn.Module scopes), annotations
--                     (annotation ranges that name layers), template (each
--                     layer starts at its input norm, read from the pass's own kernel sequence), profile_pattern (the
--                     profile's layer_start_kernel), anchor (cut at the
--                     anchor kernel: two-block layers, or no better place found), none (no layers); NULL for a run
--                     segmented by an LlmPipeline older than schema 5 (run `llmpipe resegment --run N`)
--   kernel_count      kernels stored
--   device_count      GPU devices with kernels
--   pass_count        forward passes over all devices
--   complete_pass_count  passes with is_partial = 0
--   warning_count     warning kinds recorded (ingest_warnings whose warning_kinds.severity is not info, kinds this
--                     build does not know included; see `llmpipe warnings`)
--   note_count        note kinds recorded (severity info: nothing is wrong with the trace)
--   framework_source, model_source  why framework / model have their value ('--framework', or the evidence of
--                     the inference, e.g. "kernel 'vllm::...'", "config model_type")
--   capture_id        the capture (set of rank files) the run belongs to, NULL for a lone file
--   phase             serving phase from the file name (decode, prefill), NULL when the name says nothing
--   time_offset_ns    ns added to ts_ns to put the run on its capture's common time base
--   time_alignment    how time_offset_ns was found
--   layer_evidence_detail  how the layer boundaries were placed, in one sentence
--   git_commit        commit given with --commit
--   source_path       trace path given at ingest, made absolute
--   source_bytes      size of the trace file, bytes
--   ingested_at       UTC, ISO 8601
--   tags              JSON object of --tag KEY=VALUE
--   graph_launch_api  the graph-launch call of the run's graph replays (cudaGraphLaunch, hipGraphLaunch), NULL without replays
--   replay_kernels    kernels run by graph replays, NULL without replays
--   replay_attributed of those, kernels given op_name, input dims and modules from a capture trace
--   replay_coverage   replay_attributed / replay_kernels, 0..1, NULL without replays
--   replay_match      how the replays were aligned to the capture traces (sequence, rotation, per-stream,
--                     group-by-name, category, launch order; several with their replay counts), NULL when none was
--   replay_captures   capture trace files the replays were aligned to (file names), NULL when none
CREATE VIEW run_summary AS
SELECT
    r.run_id,
    r.label,
    r.model,
    r.framework,
    r.gpu_name,
    r.rank,
    r.world_size,
    r.profile,
    r.anchor_kernel,
    r.anchor_role,
    r.num_layers,
    r.blocks_per_layer,
    r.layer_evidence,
    r.kernel_count,
    (SELECT COUNT(DISTINCT k.device) FROM kernel_rows AS k WHERE k.run_id = r.run_id)          AS device_count,
    (SELECT COUNT(*) FROM passes AS p WHERE p.run_id = r.run_id)                           AS pass_count,
    (SELECT COUNT(*) FROM passes AS p WHERE p.run_id = r.run_id AND p.is_partial = 0)      AS complete_pass_count,
    (SELECT COUNT(*) FROM ingest_warnings AS w LEFT JOIN warning_kinds AS wk ON wk.code = w.kind
     WHERE w.run_id = r.run_id AND (wk.severity IS NULL OR wk.severity <> 'info'))             AS warning_count,
    (SELECT COUNT(*) FROM ingest_warnings AS w JOIN warning_kinds AS wk ON wk.code = w.kind
     WHERE w.run_id = r.run_id AND wk.severity = 'info')                                   AS note_count,
    r.git_commit,
    r.source_path,
    r.source_bytes,
    r.ingested_at,
    r.tags,
    r.framework_source,
    r.model_source,
    r.capture_id,
    r.phase,
    r.time_offset_ns,
    r.time_alignment,
    r.layer_evidence_detail,
    r.graph_launch_api,
    r.replay_kernels,
    r.replay_attributed,
    CASE WHEN r.replay_kernels > 0 THEN CAST(r.replay_attributed AS DOUBLE) / r.replay_kernels END AS replay_coverage,
    r.replay_match,
    r.replay_captures
FROM runs AS r;
