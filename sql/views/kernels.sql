-- kernels: one row per GPU kernel, with its labels and launch context spelled out: kernel_rows with the span of
-- kernel_spans that covers it, its name's category in the run (kernel_name_categories, both through _kernel_labels),
-- its launch context (launch_contexts) and its name (kernel_names); the columns of the table of schema 1-3, and more.
-- Writable: INSERT, UPDATE and DELETE on the view go to kernel_rows, kernel_spans and kernel_name_categories, finding
-- or adding the launch context of the given op_name / input_dims / grid / block (sql/triggers/kernels.sql).
--   run_id            the run
--   device            GPU device (args.device, else pid)
--   kernel_idx        0-based order by start time within run and device (ties: file order)
--   stream            args.stream, else parsed from tid ("stream 7")
--   ts_ns             the file's ts in exact ns, no offset applied
--   dur_ns            duration, ns
--   name_id           the kernel's name (kernel_names.name_id)
--   category          category key (see category_rules); the same for every kernel of a name in a run
--   pass_idx          forward pass, NULL outside every pass
--   layer_idx         transformer layer, NULL for prologue/epilogue/outside
--   block_idx         anchor block within the pass, NULL outside blocks
--   half              half label of the block (attn/ffn for DeepSeek-V4, full otherwise)
--   role              layer, prologue, epilogue, mtp, draft, backward; NULL outside every pass and in the passes of a
--                     trace without transformer layer structure (pass_parts.part unsegmented)
--   correlation       args.correlation (launch correlation id)
--   external_id       args["External id"] (links to the launching cpu_op)
--   grid              args.grid as JSON text
--   block             args.block as JSON text
--   op_name           name of the launching cpu_op (via External id), NULL when unknown
--   input_dims        that cpu_op's "Input Dims", JSON list of lists, NULL when unknown
--   input_types       that cpu_op's "Input type", JSON list (one dtype per input), NULL when unknown
--   module            innermost nn.Module scope of the launch (QKVParallelLinear_5), else vLLM's "## Call CompiledFxGraph ... ##"
--                     annotation around it; NULL when none
--   layer_module      decoder-layer module scope of the launch (Qwen3DecoderLayer_5): the module class whose instances
--                     _0 ... _{N-1} each appear once per pass; NULL when none
--   name              the kernel's full name as in the trace (kernel_names.name)
--   simplified_name   its display name: demangled, shortened, unique within the database (kernel_names.simplified_name;
--                     docs/profiles.md, 'Name simplification')
-- For graph-replay kernels, op_name ... layer_module come from the capture trace the replay was aligned to.
CREATE VIEW kernels AS
SELECT
    k.run_id, k.device, k.kernel_idx, k.stream, k.ts_ns, k.dur_ns, k.name_id, k.category, k.pass_idx, k.layer_idx,
    k.block_idx, k.half, k.role, k.correlation, k.external_id, c.grid, c.block, c.op_name, c.input_dims,
    c.input_types, c.module, c.layer_module, n.name, n.simplified_name
FROM _kernel_labels AS k
LEFT JOIN launch_contexts AS c ON c.context_id = k.context_id
LEFT JOIN kernel_names AS n ON n.name_id = k.name_id;
