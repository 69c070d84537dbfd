-- Writes through the kernels view (sql/views/kernels.sql) go to kernel_rows, kernel_spans and kernel_name_categories.
-- INSERT and UPDATE find the launch context of the row's op_name / input_dims / grid / block / input_types / module /
-- layer_module in launch_contexts (IS comparisons: NULL matches NULL) and add it when absent; all seven NULL gives
-- context_id NULL. The kernel gets a span of its own (its pass_idx, layer_idx, block_idx, half and role), and its
-- category becomes that of its name in the run: a category written on one kernel is the category of every kernel of
-- that name in the run. Installed with the views (dropping the view drops them).
-- The ingester writes the tables directly; these serve hand-written SQL, fixtures and `llmpipe sql --write`.
CREATE TRIGGER kernels_insert INSTEAD OF INSERT ON kernels
BEGIN
    INSERT INTO launch_contexts (op_name, input_dims, grid, block, input_types, module, layer_module)
    SELECT NEW.op_name, NEW.input_dims, NEW.grid, NEW.block, NEW.input_types, NEW.module, NEW.layer_module
    WHERE COALESCE(NEW.op_name, NEW.input_dims, NEW.grid, NEW.block, NEW.input_types, NEW.module, NEW.layer_module) IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM launch_contexts
                      WHERE op_name IS NEW.op_name AND input_dims IS NEW.input_dims AND grid IS NEW.grid AND block IS NEW.block
                        AND input_types IS NEW.input_types AND module IS NEW.module AND layer_module IS NEW.layer_module);
    INSERT INTO kernel_rows (run_id, device, kernel_idx, stream, ts_ns, dur_ns, name_id, correlation, external_id, context_id)
    VALUES (NEW.run_id, NEW.device, NEW.kernel_idx, NEW.stream, NEW.ts_ns, NEW.dur_ns, NEW.name_id, NEW.correlation,
            NEW.external_id,
            (SELECT context_id FROM launch_contexts
             WHERE op_name IS NEW.op_name AND input_dims IS NEW.input_dims AND grid IS NEW.grid AND block IS NEW.block
               AND input_types IS NEW.input_types AND module IS NEW.module AND layer_module IS NEW.layer_module
             ORDER BY context_id LIMIT 1));
    INSERT INTO kernel_spans (run_id, device, first_kernel_idx, last_kernel_idx, pass_idx, layer_idx, block_idx, half, role)
    VALUES (NEW.run_id, NEW.device, NEW.kernel_idx, NEW.kernel_idx, NEW.pass_idx, NEW.layer_idx, NEW.block_idx, NEW.half, NEW.role);
    INSERT OR REPLACE INTO kernel_name_categories (run_id, name_id, category)
    SELECT NEW.run_id, NEW.name_id, NEW.category WHERE NEW.category IS NOT NULL;
END;

-- A delete removes the kernel's row and takes it out of its span: the span is cut into the part before the kernel and
-- the part after it (either may be empty).
CREATE TRIGGER kernels_delete INSTEAD OF DELETE ON kernels
BEGIN
    DELETE FROM kernel_rows WHERE run_id = OLD.run_id AND device = OLD.device AND kernel_idx = OLD.kernel_idx;
    INSERT INTO kernel_spans (run_id, device, first_kernel_idx, last_kernel_idx, pass_idx, layer_idx, block_idx, half, role)
    SELECT run_id, device, OLD.kernel_idx + 1, last_kernel_idx, pass_idx, layer_idx, block_idx, half, role
    FROM kernel_spans
    WHERE run_id = OLD.run_id AND device = OLD.device AND first_kernel_idx <= OLD.kernel_idx AND last_kernel_idx > OLD.kernel_idx;
    UPDATE kernel_spans SET last_kernel_idx = OLD.kernel_idx - 1
    WHERE run_id = OLD.run_id AND device = OLD.device AND first_kernel_idx < OLD.kernel_idx AND last_kernel_idx >= OLD.kernel_idx;
    DELETE FROM kernel_spans
    WHERE run_id = OLD.run_id AND device = OLD.device AND first_kernel_idx = OLD.kernel_idx;
END;

-- An update is the old row deleted and the new one inserted through the view, so that kernels_delete and
-- kernels_insert alone keep the spans and find or add the launch context.
CREATE TRIGGER kernels_update INSTEAD OF UPDATE ON kernels
BEGIN
    DELETE FROM kernels WHERE run_id = OLD.run_id AND device = OLD.device AND kernel_idx = OLD.kernel_idx;
    INSERT INTO kernels (run_id, device, kernel_idx, stream, ts_ns, dur_ns, name_id, category, pass_idx, layer_idx,
                         block_idx, half, role, correlation, external_id, grid, block, op_name, input_dims,
                         input_types, module, layer_module)
    VALUES (NEW.run_id, NEW.device, NEW.kernel_idx, NEW.stream, NEW.ts_ns, NEW.dur_ns, NEW.name_id, NEW.category,
            NEW.pass_idx, NEW.layer_idx, NEW.block_idx, NEW.half, NEW.role, NEW.correlation, NEW.external_id,
            NEW.grid, NEW.block, NEW.op_name, NEW.input_dims, NEW.input_types, NEW.module, NEW.layer_module);
END;
