-- pass_efficiency: each forward pass's work (the sum of all its kernels' kernel_work: prologue, layers, epilogue)
-- set against its wall time and its GPU's peaks. MFU (model FLOPs utilisation) measures compute-bound prefill, MBU
-- (memory-bandwidth utilisation) memory-bound decode. mfu_pct uses the peak of the dtype that carries most of the
-- pass's FLOPs (peak_dtype).
--   run_id           run
--   device           GPU device
--   pass_idx         0-based forward pass
--   phase            prefill, decode, mixed, idle or NULL (passes.phase)
--   flops            FLOPs of the pass's kernels with a known work, plus the config-derived work (config_work, see
--                    layer_efficiency) of what no kernel's shapes give: the GEMM FLOPs (config_work * tokens) of each
--                    layer without a shape-derived GEMM and, when no GEMM outside the layers has shapes, of lm_head:
--                    sequences * 2*H*V, sequences being passes.batch_size (serving engines compute the logits of each
--                    sequence's last token only: the lm_head GEMMs of the vLLM gpt-oss prefill and the SGLang Qwen3
--                    prefill traces have M = 1 and 15, their batch sizes, for 888 and 15360 tokens; a speculative
--                    verify step, which scores every draft token, is undercounted), tokens when it is unknown; the attention 2*nH*(d_qk+d_v) * (c_sqsk - c_sqsq/2 + g_sqsk) of each layer
--                    without an attention kernel with work, where the pass's lengths are known
--                    (pass_attention_lengths). tokens is passes.token_count (batch_size for a decode pass); no config
--                    work without a config or a token count. On one rank of a tensor-parallel group the config work is
--                    the rank's (divided by world_size, lm_head over ceil(V/world_size); see layer_efficiency)
--   bytes            bytes moved by those kernels, plus the config-derived weights read once per pass and, with the
--                    config's attention, the KV cache read
--   sum_us           sum of the pass's kernel durations, microseconds
--   wall_us          the pass's wall time, microseconds
--   achieved_tflops  flops / wall, TFLOP/s
--   achieved_gbps    bytes / wall, GB/s
--   peak_dtype       dtype carrying most of the FLOPs (fp32, tf32, bf16, fp16, fp8, fp4, int8)
--   peak_tflops      the GPU's dense peak for peak_dtype, TFLOP/s; NULL for an unknown GPU
--   peak_gbps        the GPU's peak memory bandwidth, GB/s; NULL for an unknown GPU
--   mfu_pct          100 * flops / (wall * peak_tflops), %
--   mbu_pct          100 * bytes / (wall * peak_gbps), %
--   flops_source     shapes (no config work added), config (config work added, no kernel's FLOPs from its shapes),
--                    mixed (both), NULL when the work is unknown
--   kernels_with_work  kernels of the pass with a known work
--   kernel_count     kernels of the pass
--   is_partial       1 when the pass lacks layers (trace started or ended inside it)
CREATE VIEW pass_efficiency AS
WITH w AS (
    SELECT run_id, device, pass_idx, layer_idx, compute_dtype, flops, bytes,
           CASE WHEN op_class = 'gemm' AND flops > 0 THEN 1 ELSE 0 END AS is_gemm,
           CASE WHEN op_class = 'attention' AND flops > 0 THEN 1 ELSE 0 END AS is_attention
    FROM _kernel_work
    WHERE pass_idx IS NOT NULL
), totals AS (
    SELECT run_id, device, pass_idx, SUM(flops) AS flops, SUM(bytes) AS bytes, COUNT(*) AS kernels_with_work,
           SUM(is_gemm) AS gemm_kernels, SUM(is_attention) AS attention_kernels,
           SUM(CASE WHEN layer_idx IS NULL THEN is_gemm ELSE 0 END) AS outer_gemm_kernels
    FROM w GROUP BY run_id, device, pass_idx
), layer_kinds AS (
    SELECT run_id, device, pass_idx, layer_idx, SUM(is_gemm) AS gemm_kernels, SUM(is_attention) AS attention_kernels
    FROM w WHERE layer_idx IS NOT NULL GROUP BY run_id, device, pass_idx, layer_idx
), tok AS (
    SELECT run_id, device, pass_idx, COALESCE(token_count, CASE WHEN phase = 'decode' THEN batch_size END) AS tokens,
           batch_size AS sequences
    FROM passes
), cfg_parts AS (
    -- layers without a shape-derived GEMM
    SELECT l.run_id, l.device, l.pass_idx, cw.weight_dtype, cw.flops_per_token * tk.tokens AS flops,
           cw.weight_bytes + cw.expert_bytes * CASE WHEN tk.tokens * cw.top_k < cw.routed_experts THEN tk.tokens * cw.top_k ELSE cw.routed_experts END AS bytes
    FROM layers AS l
    JOIN tok AS tk ON tk.run_id = l.run_id AND tk.device = l.device AND tk.pass_idx = l.pass_idx
    JOIN config_work AS cw ON cw.run_id = l.run_id AND cw.layer_idx = l.layer_idx
    LEFT JOIN layer_kinds AS g ON g.run_id = l.run_id AND g.device = l.device AND g.pass_idx = l.pass_idx AND g.layer_idx = l.layer_idx
    WHERE tk.tokens > 0 AND COALESCE(g.gemm_kernels, 0) = 0
    UNION ALL
    -- lm_head over each sequence's last token, when no GEMM outside the layers has shapes
    SELECT tk.run_id, tk.device, tk.pass_idx, cw.weight_dtype, cw.flops_per_token * COALESCE(tk.sequences, tk.tokens), cw.weight_bytes
    FROM tok AS tk
    JOIN config_work AS cw ON cw.run_id = tk.run_id AND cw.layer_idx = -1
    LEFT JOIN totals AS t ON t.run_id = tk.run_id AND t.device = tk.device AND t.pass_idx = tk.pass_idx
    WHERE tk.tokens > 0 AND COALESCE(t.outer_gemm_kernels, 0) = 0
    UNION ALL
    -- the attention of layers without an attention kernel with work, where the pass's lengths are known
    SELECT l.run_id, l.device, l.pass_idx, cw.weight_dtype,
           cw.attn_flops_per_sq_sk * (2 * a.context_sq_sk - a.context_sq_sq + 2 * a.generation_sq_sk) / 2,
           cw.kv_bytes_per_sk * (a.context_sk + a.generation_sk)
    FROM layers AS l
    JOIN pass_attention_lengths AS a ON a.run_id = l.run_id AND a.device = l.device AND a.pass_idx = l.pass_idx
    JOIN config_work AS cw ON cw.run_id = l.run_id AND cw.layer_idx = l.layer_idx
    LEFT JOIN layer_kinds AS g ON g.run_id = l.run_id AND g.device = l.device AND g.pass_idx = l.pass_idx AND g.layer_idx = l.layer_idx
    WHERE cw.attn_flops_per_sq_sk IS NOT NULL AND (cw.sliding_window IS NULL OR a.context_sk + a.generation_sk <= cw.sliding_window)
      AND COALESCE(g.attention_kernels, 0) = 0
), cfg AS (
    SELECT run_id, device, pass_idx, SUM(flops) AS flops, SUM(bytes) AS bytes, MAX(weight_dtype) AS weight_dtype
    FROM cfg_parts GROUP BY run_id, device, pass_idx
), work AS (
    SELECT ps.run_id, ps.device, ps.pass_idx,
           CASE WHEN c.flops IS NULL THEN t.flops ELSE COALESCE(t.flops, 0) + c.flops END AS flops,
           CASE WHEN c.flops IS NULL THEN t.bytes ELSE COALESCE(t.bytes, 0) + c.bytes END AS bytes,
           CASE WHEN c.flops IS NULL THEN CASE WHEN t.flops IS NOT NULL THEN 'shapes' END
                WHEN COALESCE(t.gemm_kernels, 0) + COALESCE(t.attention_kernels, 0) > 0 THEN 'mixed'
                ELSE 'config' END AS flops_source,
           CASE WHEN COALESCE(t.gemm_kernels, 0) = 0 THEN c.weight_dtype END AS config_dtype,
           t.kernels_with_work
    FROM passes AS ps
    LEFT JOIN totals AS t ON t.run_id = ps.run_id AND t.device = ps.device AND t.pass_idx = ps.pass_idx
    LEFT JOIN cfg AS c ON c.run_id = ps.run_id AND c.device = ps.device AND c.pass_idx = ps.pass_idx
), by_dtype AS (
    SELECT run_id, device, pass_idx, compute_dtype,
           ROW_NUMBER() OVER (PARTITION BY run_id, device, pass_idx ORDER BY SUM(flops) DESC, compute_dtype) AS rn
    FROM w WHERE flops > 0 AND compute_dtype IS NOT NULL
    GROUP BY run_id, device, pass_idx, compute_dtype
), bw AS (
    SELECT run_id, MAX(peak_gbps) AS peak_gbps FROM gpu_peaks GROUP BY run_id
)
SELECT
    ps.run_id, ps.device, ps.pass_idx, ps.phase,
    CAST(t.flops AS BIGINT) AS flops, CAST(t.bytes AS BIGINT) AS bytes, ps.sum_us, ps.wall_us,
    CAST(CASE WHEN ps.wall_us > 0 THEN CAST(t.flops AS DOUBLE) / (ps.wall_us * 1e6) END AS DOUBLE) AS achieved_tflops,
    CAST(CASE WHEN ps.wall_us > 0 THEN CAST(t.bytes AS DOUBLE) / (ps.wall_us * 1e3) END AS DOUBLE) AS achieved_gbps,
    COALESCE(d.compute_dtype, t.config_dtype) AS peak_dtype,
    p.peak_tflops,
    CAST(bw.peak_gbps AS DOUBLE) AS peak_gbps,
    CAST(CASE WHEN ps.wall_us > 0 AND p.peak_tflops > 0 THEN 100.0 * CAST(t.flops AS DOUBLE) / (ps.wall_us * 1e6) / p.peak_tflops END AS DOUBLE) AS mfu_pct,
    CAST(CASE WHEN ps.wall_us > 0 AND bw.peak_gbps > 0 THEN 100.0 * CAST(t.bytes AS DOUBLE) / (ps.wall_us * 1e3) / bw.peak_gbps END AS DOUBLE) AS mbu_pct,
    t.flops_source,
    CAST(COALESCE(t.kernels_with_work, 0) AS BIGINT) AS kernels_with_work,
    ps.kernel_count,
    ps.is_partial
FROM passes AS ps
LEFT JOIN work AS t ON t.run_id = ps.run_id AND t.device = ps.device AND t.pass_idx = ps.pass_idx
LEFT JOIN by_dtype AS d ON d.run_id = ps.run_id AND d.device = ps.device AND d.pass_idx = ps.pass_idx AND d.rn = 1
LEFT JOIN gpu_peaks AS p ON p.run_id = ps.run_id AND p.dtype = COALESCE(d.compute_dtype, t.config_dtype)
LEFT JOIN bw ON bw.run_id = ps.run_id;
