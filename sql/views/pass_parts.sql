-- pass_parts: the parts of every forward pass, in time order: its prologue (before layer 0's input norm: embedding,
-- positions, metadata), each layer (from its input norm up to the next layer's start), any gap between layers, its
-- epilogue (after the last layer: final norm, lm_head, logits processing, sampling) and its MTP / draft / backward
-- kernels. Every kernel of a pass is in exactly one part, so a pass's parts add up to it exactly in kernel_count and
-- sum_us; each part's busy_us is the union of its own kernels' intervals, so parts add up to the pass's busy time
-- except where kernels of two parts overlap in time (pass_timeline.parts_overlap_ms says by how much).
--   run_id        run
--   device        GPU device
--   pass_idx      0-based forward pass
--   part          prologue, layer, gap, epilogue, mtp, draft or backward; unsegmented for the kernels of a pass of a
--                 trace without transformer layer structure (no layers were made)
--   layer_idx     the layer of a 'layer' part (the layers table has its totals), else NULL
--   start_ns      earliest kernel start of the part, ns (the file's ts)
--   end_ns        latest kernel end of the part, ns
--   wall_us       end - start, microseconds
--   sum_us        sum of kernel durations, microseconds
--   busy_us       length of the union of the part's kernel intervals, microseconds
--   kernel_count  kernels in the part
CREATE VIEW pass_parts AS
SELECT
    x.run_id,
    x.device,
    x.pass_idx,
    x.part,
    x.layer_idx,
    x.start_ns,
    x.end_ns,
    CAST(x.end_ns - x.start_ns AS DOUBLE) / 1e3 AS wall_us,
    x.sum_us,
    x.busy_us,
    x.kernel_count
FROM pass_part_rows AS x;
