-- Hand-made run for Query.Tests: run 1, device 0, 4 passes of 2 layers (num_layers = 2).
-- Pass p is pass 0 shifted by p * 100000 ns. trace_start_ns = 1000000.
-- Pass 0 (ns):                               stream  ts         dur    category
--   idx 0  embed (prologue)                  7       1010000    5000   other
--   layer 0 (MIDDLE):
--   idx 1  rms_norm_kernel                   7       1020000    2000   rmsnorm
--   idx 2  rms_norm_kernel                   8       1020000    2000   rmsnorm   (tie with idx 1: kernel_idx decides)
--   idx 3  flash_fwd_mla                     7       1022000   10000   mla
--   idx 4  nvjet_gemm_bf16                   7       1032000    8000   gemm_bf16
--   idx 5  cross_device_reduce (allreduce)   8       1036000    6000   allreduce (overlaps idx 4 for 4000)
--   idx 6  nvjet_gemm_bf16                   7       1043000    8000   gemm_bf16 (tie on dur with idx 4)
--   layer 1 (MIDDLE):
--   idx 7  rms_norm_kernel                   7       1060000    2000   rmsnorm
--   idx 8  flash_fwd_mla                     7       1062000   12000   mla
--   idx 9  nvjet_gemm_bf16                   7       1074000    8000   gemm_bf16
--   idx 10 cross_device_reduce_2stage        8       1082000    4000   allreduce (another name than idx 5)
--   idx 11 lm_head (epilogue)                7       1090000    3000   other
-- Layer 0: wall 31 us, sum 36 us, busy 30 us, idle 1 us, exposed comm 2 us, 6 kernels, 1 comm.
-- Layer 1: wall 26 us, sum 26 us, busy 26 us, idle 0 us, exposed comm 4 us, 4 kernels, 1 comm.
-- Pass 0: wall 83 us, sum 70 us, busy 64 us, idle 19 us, exposed comm 6 us, 12 kernels.
INSERT INTO runs (run_id, label, source_path, source_bytes, source_sha256, ingested_at, framework, model, gpu_name,
                  profile, anchor_kernel, anchor_role, num_layers, blocks_per_layer, trace_start_ns, trace_end_ns,
                  config_json, tags, options_key, kernel_count, event_count)
VALUES (1, 'fixture', '/data/traces/qwen_decode.json.gz', 1234, 'abc', '2026-01-01T00:00:00Z', 'sglang', 'Qwen3-8B',
        'NVIDIA H100', 'generic', 'rms_norm_kernel', 'opens', 2, 1, 1000000, 1400000,
        '{"hidden_size": 4096, "num_attention_heads": 32, "num_key_value_heads": 8, "head_dim": 128, "num_hidden_layers": 2, "intermediate_size": 12288}',
        '{}', 'k', 48, 100);

INSERT INTO category_rules (run_id, profile, rule_order, pattern, category, label, category_group) VALUES
 (1, 'generic', 0, 'flash_fwd_mla', 'mla', 'MLA Attention', 'attention'),
 (1, 'generic', 1, 'allreduce|cross_device_reduce', 'allreduce', 'AllReduce', 'comm'),
 (1, 'generic', 2, 'rms_?norm', 'rmsnorm', 'RMSNorm', 'norm'),
 (1, 'generic', 3, 'nvjet', 'gemm_bf16', 'GEMM BF16', 'gemm'),
 (1, 'generic', 4, '.', 'other', 'Other', 'other');

INSERT INTO kernel_names (name_id, name, simplified_name) VALUES
 (1, 'embedding_kernel<float>', 'embedding_kernel'),
 (2, 'rms_norm_kernel<bf16, 128>', 'rms_norm_kernel'),
 (3, 'flash_fwd_mla_kernel<cutlass::bf16>', 'flash_fwd_mla_kernel'),
 (4, 'nvjet_tst_128x256_64x4_2x1_v_bz_TNT', 'nvjet_gemm_bf16'),
 (5, 'cross_device_reduce_1stage<bf16, 8>', 'cross_device_reduce_1stage'),
 (6, 'lm_head_gemv<float>', 'lm_head_gemv'),
 (7, 'cross_device_reduce_2stage<bf16, 8>', 'cross_device_reduce_2stage');

CREATE TEMP TABLE pass0 (kernel_idx INTEGER, stream INTEGER, ts_ns INTEGER, dur_ns INTEGER, name_id INTEGER,
                         category TEXT, layer_idx INTEGER, role TEXT, input_dims TEXT);
INSERT INTO pass0 VALUES
 (0, 7, 1010000, 5000, 1, 'other', NULL, 'prologue', NULL),
 (1, 7, 1020000, 2000, 2, 'rmsnorm', 0, 'layer', '[[1, 4096]]'),
 (2, 8, 1020000, 2000, 2, 'rmsnorm', 0, 'layer', NULL),
 (3, 7, 1022000, 10000, 3, 'mla', 0, 'layer', NULL),
 (4, 7, 1032000, 8000, 4, 'gemm_bf16', 0, 'layer', '[[1, 4096], [4096, 12288]]'),
 (5, 8, 1036000, 6000, 5, 'allreduce', 0, 'layer', NULL),
 (6, 7, 1043000, 8000, 4, 'gemm_bf16', 0, 'layer', NULL),
 (7, 7, 1060000, 2000, 2, 'rmsnorm', 1, 'layer', NULL),
 (8, 7, 1062000, 12000, 3, 'mla', 1, 'layer', NULL),
 (9, 7, 1074000, 8000, 4, 'gemm_bf16', 1, 'layer', NULL),
 (10, 8, 1082000, 4000, 7, 'allreduce', 1, 'layer', NULL),
 (11, 7, 1090000, 3000, 6, 'other', NULL, 'epilogue', NULL);

CREATE TEMP TABLE pass_ids (p INTEGER, note TEXT);
INSERT INTO pass_ids VALUES (0, 'cold-start'), (1, NULL), (2, 'steady-state'), (3, 'steady-state');

INSERT INTO kernels (run_id, device, kernel_idx, stream, ts_ns, dur_ns, name_id, category, pass_idx, layer_idx,
                     block_idx, half, role, correlation, external_id, op_name, input_dims)
SELECT 1, 0, p * 12 + k.kernel_idx, k.stream, k.ts_ns + p * 100000, k.dur_ns, k.name_id, k.category, p, k.layer_idx,
       k.layer_idx, CASE WHEN k.layer_idx IS NULL THEN NULL ELSE 'full' END, k.role, p * 12 + k.kernel_idx,
       NULL, CASE WHEN k.input_dims IS NULL THEN NULL ELSE 'aten::mm' END, k.input_dims
FROM pass0 AS k CROSS JOIN pass_ids;

INSERT INTO passes (run_id, device, pass_idx, start_ns, end_ns, wall_us, sum_us, busy_us, idle_us, exposed_comm_us,
                    kernel_count, layer_count, is_partial, note, phase)
SELECT 1, 0, p, 1010000 + p * 100000, 1093000 + p * 100000, 83.0, 70.0, 64.0, 19.0, 6.0, 12, 2, 0, note, 'decode'
FROM pass_ids;

INSERT INTO layers (run_id, device, pass_idx, layer_idx, layer_type, compress_ratio, start_ns, end_ns, wall_us, sum_us,
                    busy_us, idle_us, exposed_comm_us, kernel_count, comm_count)
SELECT 1, 0, p, 0, 'MIDDLE', NULL, 1020000 + p * 100000, 1051000 + p * 100000, 31.0, 36.0, 30.0, 1.0, 2.0, 6, 1
FROM pass_ids
UNION ALL
SELECT 1, 0, p, 1, 'MIDDLE', NULL, 1060000 + p * 100000, 1086000 + p * 100000, 26.0, 26.0, 26.0, 0.0, 4.0, 4, 1
FROM pass_ids;

INSERT INTO ingest_warnings (run_id, kind, count, first_byte_offset, detail)
VALUES (1, 'trailing_comma', 2, 5120, 'a trailing comma before ] was skipped');

INSERT INTO anchor_candidates (run_id, device, name, occurrences, per_layer, regularity, coverage, implied_layers, chosen)
VALUES (1, 0, 'rms_norm_kernel<bf16, 128>', 8, 1, 1.0, 8.0, 2, 1),
       (1, 0, 'flash_fwd_mla_kernel<cutlass::bf16>', 8, 1, 1.0, 8.0, 2, 0);

DROP TABLE pass0;
DROP TABLE pass_ids;
