-- Writes through the kernels view (sql/views/kernels.sql) go to kernel_rows: INSERT and UPDATE find the launch
-- context of the row's op_name / input_dims / grid / block / input_types / module / layer_module in launch_contexts
-- (IS comparisons: NULL matches NULL) and add it when absent; all seven NULL gives context_id NULL. Installed with the views (dropping the view drops them).
-- The ingester writes kernel_rows directly; these serve hand-written SQL, fixtures and `llmpipe sql --write`.
CREATE TRIGGER kernels_insert INSTEAD OF INSERT ON kernels
BEGIN
    INSERT INTO launch_contexts (op_name, input_dims, grid, block, input_types, module, layer_module)
    SELECT NEW.op_name, NEW.input_dims, NEW.grid, NEW.block, NEW.input_types, NEW.module, NEW.layer_module
    WHERE COALESCE(NEW.op_name, NEW.input_dims, NEW.grid, NEW.block, NEW.input_types, NEW.module, NEW.layer_module) IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM launch_contexts
                      WHERE op_name IS NEW.op_name AND input_dims IS NEW.input_dims AND grid IS NEW.grid AND block IS NEW.block
                        AND input_types IS NEW.input_types AND module IS NEW.module AND layer_module IS NEW.layer_module);
    INSERT INTO kernel_rows (run_id, device, kernel_idx, stream, ts_ns, dur_ns, name_id, category, pass_idx, layer_idx,
                             block_idx, half, role, correlation, external_id, context_id)
    VALUES (NEW.run_id, NEW.device, NEW.kernel_idx, NEW.stream, NEW.ts_ns, NEW.dur_ns, NEW.name_id, NEW.category,
            NEW.pass_idx, NEW.layer_idx, NEW.block_idx, NEW.half, NEW.role, NEW.correlation, NEW.external_id,
            (SELECT context_id FROM launch_contexts
             WHERE op_name IS NEW.op_name AND input_dims IS NEW.input_dims AND grid IS NEW.grid AND block IS NEW.block
               AND input_types IS NEW.input_types AND module IS NEW.module AND layer_module IS NEW.layer_module
             ORDER BY context_id LIMIT 1));
END;

-- An update is the old row deleted and the new one inserted through the view, so that kernels_insert alone finds
-- or adds the launch context.
CREATE TRIGGER kernels_update INSTEAD OF UPDATE ON kernels
BEGIN
    DELETE FROM kernel_rows WHERE run_id = OLD.run_id AND device = OLD.device AND kernel_idx = OLD.kernel_idx;
    INSERT INTO kernels (run_id, device, kernel_idx, stream, ts_ns, dur_ns, name_id, category, pass_idx, layer_idx,
                         block_idx, half, role, correlation, external_id, grid, block, op_name, input_dims,
                         input_types, module, layer_module)
    VALUES (NEW.run_id, NEW.device, NEW.kernel_idx, NEW.stream, NEW.ts_ns, NEW.dur_ns, NEW.name_id, NEW.category,
            NEW.pass_idx, NEW.layer_idx, NEW.block_idx, NEW.half, NEW.role, NEW.correlation, NEW.external_id,
            NEW.grid, NEW.block, NEW.op_name, NEW.input_dims, NEW.input_types, NEW.module, NEW.layer_module);
END;

CREATE TRIGGER kernels_delete INSTEAD OF DELETE ON kernels
BEGIN
    DELETE FROM kernel_rows WHERE run_id = OLD.run_id AND device = OLD.device AND kernel_idx = OLD.kernel_idx;
END;
