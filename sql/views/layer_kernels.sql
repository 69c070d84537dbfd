-- layer_kernels: one row per kernel of a transformer layer (role 'layer'), per pass, run and device: the per-layer
-- kernel breakdown of the llm-pipeline-analysis scripts with its hotness rank (docs/reference-analysis.md).
--   run_id, device, pass_idx, layer_idx   the layer
--   kernel_idx        0-based kernel order by start time within run and device
--   hotness_rank      0-based rank in the layer: duration descending, then start ascending, then kernel_idx
--   half              half label of the kernel's block (attn / ffn for DeepSeek-V4, full otherwise)
--   category          category key (docs/profiles.md, 'Categories')
--   category_group    coarse group of the key; 'other' when no rule of the run names the key
--   simplified_name   simplified kernel name (docs/profiles.md, 'Name simplification')
--   name              full kernel name
--   dur_us            duration, microseconds (exact to the ns)
--   share_pct         dur as a percentage of the layer's summed kernel time (NULL when that is 0)
--   ts_rel_ms         kernel start - runs.trace_start_ns, milliseconds
--   stream            CUDA stream
--   op_name           launching CPU operator (via External id), NULL when unknown
--   input_dims        that operator's "Input Dims", JSON text, NULL when unknown
--   ts_ns             the file's ts, exact integer ns (no offset)
--   dur_ns            duration, ns
--   perfetto_ts_ns    the kernel's start as Perfetto's timeline stores it (the file's ts in ns; Perfetto rounds
--                     ts µs through a double, which differs only for absolute timestamps above 2^53 ns)
CREATE VIEW layer_kernels AS
SELECT
    k.run_id,
    k.device,
    k.pass_idx,
    k.layer_idx,
    k.kernel_idx,
    ROW_NUMBER() OVER (PARTITION BY k.run_id, k.device, k.pass_idx, k.layer_idx
                       ORDER BY k.dur_ns DESC, k.ts_ns ASC, k.kernel_idx ASC) - 1 AS hotness_rank,
    k.half,
    k.category,
    COALESCE(g.category_group, 'other')   AS category_group,
    n.simplified_name,
    n.name,
    CAST(k.dur_ns AS DOUBLE) / 1e3          AS dur_us,
    CAST(k.dur_ns AS DOUBLE) * 100
        / NULLIF(SUM(k.dur_ns) OVER (PARTITION BY k.run_id, k.device, k.pass_idx, k.layer_idx), 0) AS share_pct,
    CAST(k.ts_ns - r.trace_start_ns AS DOUBLE) / 1e6 AS ts_rel_ms,
    k.stream,
    c.op_name,
    c.input_dims,
    k.ts_ns,
    k.dur_ns,
    k.ts_ns                               AS perfetto_ts_ns
FROM _kernel_labels AS k
JOIN kernel_names AS n ON n.name_id = k.name_id
JOIN runs AS r ON r.run_id = k.run_id
LEFT JOIN launch_contexts AS c ON c.context_id = k.context_id
LEFT JOIN _category_groups AS g ON g.run_id = k.run_id AND g.category = k.category
WHERE k.role = 'layer';
