-- _kernel_labels: every kernel row with its labels (internal; read the kernels view): kernel_rows joined to the
-- span of kernel_spans that covers it (pass_idx, layer_idx, block_idx, half, role) and to its name's category in the
-- run (kernel_name_categories). The views that aggregate kernels read this one: it leaves out the launch context and
-- name texts, which SQLite then never joins.
-- The spans drive the join (CROSS JOIN keeps them the outer loop): each span finds its kernels as one primary-key
-- range of kernel_rows, and a filter on pass_idx / layer_idx finds its spans through kernel_spans_by_layer. The other
-- order would search the spans once per kernel. (The join's terms are in WHERE: DuckDB, which reads these views after
-- `llmpipe export`, takes no ON after CROSS JOIN.)
CREATE VIEW _kernel_labels AS
SELECT
    s.run_id, s.device, k.kernel_idx, k.stream, k.ts_ns, k.dur_ns, k.name_id, c.category, s.pass_idx, s.layer_idx,
    s.block_idx, s.half, s.role, k.correlation, k.external_id, k.context_id
FROM kernel_spans AS s
CROSS JOIN kernel_rows AS k
LEFT JOIN kernel_name_categories AS c ON c.run_id = k.run_id AND c.name_id = k.name_id
WHERE k.run_id = s.run_id AND k.device = s.device AND k.kernel_idx BETWEEN s.first_kernel_idx AND s.last_kernel_idx;
