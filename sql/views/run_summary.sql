-- run_summary: one row per run: its metadata (runs) and how much of it was segmented.
--   run_id, label, model, framework, gpu_name, rank, world_size, profile, anchor_kernel, anchor_role, num_layers,
--   blocks_per_layer, git_commit, source_path, source_bytes (bytes), ingested_at (UTC ISO 8601), tags (JSON)
--                     as in runs
--   kernel_count      kernels stored
--   device_count      GPU devices with kernels
--   pass_count        forward passes over all devices
--   complete_pass_count passes with is_partial = 0
--   warning_count     ingest warning kinds recorded (see `llmpipe warnings`)
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
    r.kernel_count,
    (SELECT COUNT(DISTINCT k.device) FROM kernels AS k WHERE k.run_id = r.run_id)          AS device_count,
    (SELECT COUNT(*) FROM passes AS p WHERE p.run_id = r.run_id)                           AS pass_count,
    (SELECT COUNT(*) FROM passes AS p WHERE p.run_id = r.run_id AND p.is_partial = 0)      AS complete_pass_count,
    (SELECT COUNT(*) FROM ingest_warnings AS w WHERE w.run_id = r.run_id)                  AS warning_count,
    r.git_commit,
    r.source_path,
    r.source_bytes,
    r.ingested_at,
    r.tags
FROM runs AS r;
