-- mtp_blocks: one row per MTP (multi-token prediction) or speculative-decoding draft block per pass (issue 4,
-- docs/messy-traces.md, B34). These blocks are the anchor blocks in excess of num_layers x blocks_per_layer at the end of a
-- step; they are not layers (no layers row, not in passes.layer_count) and are reported here instead.
--   run_id        run
--   device        GPU device
--   pass_idx      0-based forward pass
--   block_idx     anchor block within the pass (numbered after the main layers' blocks)
--   role          mtp or draft
--   pass_phase    the pass's phase (prefill, decode, mixed, or NULL)
--   kernel_count  kernels of the block
--   start_ns      earliest kernel start of the block, ns (the file's ts)
--   wall_ms       latest kernel end - earliest kernel start, milliseconds
--   sum_ms        sum of kernel durations, milliseconds
CREATE VIEW mtp_blocks AS
SELECT
    k.run_id,
    k.device,
    k.pass_idx,
    k.block_idx,
    k.role,
    p.phase                                          AS pass_phase,
    COUNT(*)                                         AS kernel_count,
    MIN(k.ts_ns)                                     AS start_ns,
    CAST(MAX(k.ts_ns + k.dur_ns) - MIN(k.ts_ns) AS DOUBLE) / 1e6 AS wall_ms,
    CAST(SUM(k.dur_ns) AS DOUBLE) / 1e6              AS sum_ms
FROM _kernel_labels AS k
LEFT JOIN passes AS p ON p.run_id = k.run_id AND p.device = k.device AND p.pass_idx = k.pass_idx
WHERE k.role IN ('mtp', 'draft')
GROUP BY k.run_id, k.device, k.pass_idx, k.block_idx, k.role, p.phase;
