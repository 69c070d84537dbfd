-- run_layer_time: one row per transformer layer per forward pass, run and device, for pivoting runs against each
-- other by layer index or layer type (llmpipe compare, BI tools). Times as in the layers table.
--   run_id          run
--   device          GPU device
--   pass_idx        0-based forward pass
--   layer_idx       0-based layer (the true layer number)
--   layer_type      composable label, e.g. FIRST+SWA_ONLY+HASH (docs/segmentation.md, 'Layer types')
--   wall_us         latest kernel end - earliest kernel start, microseconds
--   sum_us          sum of kernel durations, microseconds
--   busy_us         length of the union of kernel intervals, microseconds
--   kernel_count    kernels of the layer
CREATE VIEW run_layer_time AS
SELECT
    run_id,
    device,
    pass_idx,
    layer_idx,
    layer_type,
    wall_us,
    sum_us,
    busy_us,
    kernel_count
FROM layers;
