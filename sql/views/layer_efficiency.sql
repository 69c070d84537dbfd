-- layer_efficiency: each transformer layer's work (the sum of its kernels' kernel_work) set against its wall time and
-- its GPU's peaks. MFU (model FLOPs utilisation) measures compute-bound prefill, MBU (memory-bandwidth utilisation)
-- memory-bound decode. mfu_pct uses the peak of the dtype that carries most of the layer's FLOPs (peak_dtype).
--   run_id           run
--   device           GPU device
--   pass_idx         0-based forward pass
--   layer_idx        transformer layer
--   layer_type       composable layer label (layers.layer_type)
--   flops            FLOPs of the layer's kernels with a known work (sum of kernel_efficiency.flops), plus the
--                    config-derived work (config_work) of what no kernel's shapes give:
--                    - when none of its kernels is a GEMM with shapes, the GEMM FLOPs tokens * (QKV 2*H*(nH+2*nKV)*d +
--                      O 2*nH*d*H + MLP 2*3*H*I), or for a MoE layer tokens * (router 2*H*E + routed 2*top_k*3*H*I_moe
--                      + shared 2*3*H*I_shared), where tokens is passes.token_count (batch_size for a decode pass);
--                    - when none of its kernels is an attention kernel with work and the pass's attention lengths are
--                      known (pass_attention_lengths), attention 2*nH*(d_qk+d_v) * (c_sqsk - c_sqsq/2 + g_sqsk), the
--                      prefill part causal; a sliding-window layer only when the pass's sum(Sk) fits its window
--                      (config_work.sliding_window), MLA and sparse attention never;
--                    NULL when nothing is known. Config work is one rank's: for a run that is one rank of a
--                    tensor-parallel group (world_size > 1 and all-reduce kernels inside its layers) heads, KV heads
--                    (at least 1), MLP, shared and routed experts and lm_head (vocab) are divided by world_size; the
--                    router is replicated
--   bytes            bytes moved by those kernels; config-derived: the layer's weights read once per pass at
--                    torch_dtype's size (fp8 when quantization_config says so), routed experts MIN(E, tokens*top_k),
--                    and with the config's attention the KV cache read, nKV*(d_qk+d_v)*size * sum(Sk)
--   sum_us           sum of the layer's kernel durations, microseconds
--   wall_us          the layer's wall time (first kernel start to last kernel end), microseconds
--   achieved_tflops  flops / wall, TFLOP/s
--   achieved_gbps    bytes / wall, GB/s
--   peak_dtype       dtype carrying most of the FLOPs (fp32, tf32, bf16, fp16, fp8, fp4, int8)
--   peak_tflops      the GPU's dense peak for peak_dtype, TFLOP/s; NULL for an unknown GPU
--   peak_gbps        the GPU's peak memory bandwidth, GB/s; NULL for an unknown GPU
--   mfu_pct          100 * flops / (wall * peak_tflops), %
--   mbu_pct          100 * bytes / (wall * peak_gbps), %
--   flops_source     shapes (no config work added), config (config work added, no kernel of the layer has a
--                    work from its shapes), mixed (config work plus shape-derived work), NULL when the work is unknown
--   kernels_with_work  kernels of the layer with a known work
--   kernel_count     kernels of the layer
CREATE VIEW layer_efficiency AS
WITH w AS (
    SELECT run_id, device, pass_idx, layer_idx, compute_dtype, flops, bytes,
           CASE WHEN op_class = 'gemm' AND flops > 0 THEN 1 ELSE 0 END AS is_gemm,
           CASE WHEN op_class = 'attention' AND flops > 0 THEN 1 ELSE 0 END AS is_attention
    FROM _kernel_work
    WHERE layer_idx IS NOT NULL
), totals AS (
    SELECT run_id, device, pass_idx, layer_idx, SUM(flops) AS flops, SUM(bytes) AS bytes, COUNT(*) AS kernels_with_work,
           SUM(is_gemm) AS gemm_kernels, SUM(is_attention) AS attention_kernels
    FROM w GROUP BY run_id, device, pass_idx, layer_idx
), tok AS (
    SELECT run_id, device, pass_idx, COALESCE(token_count, CASE WHEN phase = 'decode' THEN batch_size END) AS tokens
    FROM passes
), cfg AS (
    SELECT l.run_id, l.device, l.pass_idx, l.layer_idx, cw.weight_dtype,
           cw.flops_per_token * tk.tokens AS flops,
           cw.weight_bytes + cw.expert_bytes * CASE WHEN tk.tokens * cw.top_k < cw.routed_experts THEN tk.tokens * cw.top_k ELSE cw.routed_experts END AS bytes
    FROM layers AS l
    JOIN tok AS tk ON tk.run_id = l.run_id AND tk.device = l.device AND tk.pass_idx = l.pass_idx
    JOIN config_work AS cw ON cw.run_id = l.run_id AND cw.layer_idx = l.layer_idx
    WHERE tk.tokens > 0
), cfg_attn AS (
    -- the config's attention where the pass's lengths are known (a window only when every context fits it)
    SELECT l.run_id, l.device, l.pass_idx, l.layer_idx, cw.weight_dtype,
           cw.attn_flops_per_sq_sk * (2 * a.context_sq_sk - a.context_sq_sq + 2 * a.generation_sq_sk) / 2 AS flops,
           cw.kv_bytes_per_sk * (a.context_sk + a.generation_sk) AS bytes
    FROM layers AS l
    JOIN pass_attention_lengths AS a ON a.run_id = l.run_id AND a.device = l.device AND a.pass_idx = l.pass_idx
    JOIN config_work AS cw ON cw.run_id = l.run_id AND cw.layer_idx = l.layer_idx
    WHERE cw.attn_flops_per_sq_sk IS NOT NULL AND (cw.sliding_window IS NULL OR a.context_sk + a.generation_sk <= cw.sliding_window)
), added AS (
    SELECT l.run_id, l.device, l.pass_idx, l.layer_idx, t.flops AS shape_flops, t.bytes AS shape_bytes, t.kernels_with_work,
           CASE WHEN COALESCE(t.gemm_kernels, 0) = 0 THEN c.flops END AS gemm_flops,
           CASE WHEN COALESCE(t.gemm_kernels, 0) = 0 THEN c.bytes END AS gemm_bytes,
           CASE WHEN COALESCE(t.attention_kernels, 0) = 0 THEN ca.flops END AS attn_flops,
           CASE WHEN COALESCE(t.attention_kernels, 0) = 0 THEN ca.bytes END AS attn_bytes,
           COALESCE(c.weight_dtype, ca.weight_dtype) AS weight_dtype, COALESCE(t.gemm_kernels, 0) AS gemm_kernels
    FROM layers AS l
    LEFT JOIN totals AS t ON t.run_id = l.run_id AND t.device = l.device AND t.pass_idx = l.pass_idx AND t.layer_idx = l.layer_idx
    LEFT JOIN cfg AS c ON c.run_id = l.run_id AND c.device = l.device AND c.pass_idx = l.pass_idx AND c.layer_idx = l.layer_idx
    LEFT JOIN cfg_attn AS ca ON ca.run_id = l.run_id AND ca.device = l.device AND ca.pass_idx = l.pass_idx AND ca.layer_idx = l.layer_idx
), work AS (
    SELECT run_id, device, pass_idx, layer_idx,
           CASE WHEN gemm_flops IS NULL AND attn_flops IS NULL THEN shape_flops
                ELSE COALESCE(shape_flops, 0) + COALESCE(gemm_flops, 0) + COALESCE(attn_flops, 0) END AS flops,
           CASE WHEN gemm_flops IS NULL AND attn_flops IS NULL THEN shape_bytes
                ELSE COALESCE(shape_bytes, 0) + COALESCE(gemm_bytes, 0) + COALESCE(attn_bytes, 0) END AS bytes,
           CASE WHEN gemm_flops IS NULL AND attn_flops IS NULL THEN CASE WHEN shape_flops IS NOT NULL THEN 'shapes' END
                WHEN COALESCE(kernels_with_work, 0) > 0 THEN 'mixed'
                ELSE 'config' END AS flops_source,
           CASE WHEN gemm_kernels = 0 THEN weight_dtype END AS config_dtype,
           kernels_with_work
    FROM added
), by_dtype AS (
    SELECT run_id, device, pass_idx, layer_idx, compute_dtype,
           ROW_NUMBER() OVER (PARTITION BY run_id, device, pass_idx, layer_idx ORDER BY SUM(flops) DESC, compute_dtype) AS rn
    FROM w WHERE flops > 0 AND compute_dtype IS NOT NULL
    GROUP BY run_id, device, pass_idx, layer_idx, compute_dtype
), bw AS (
    SELECT run_id, MAX(peak_gbps) AS peak_gbps FROM gpu_peaks GROUP BY run_id
)
SELECT
    l.run_id, l.device, l.pass_idx, l.layer_idx, l.layer_type,
    CAST(t.flops AS BIGINT) AS flops, CAST(t.bytes AS BIGINT) AS bytes, l.sum_us, l.wall_us,
    CAST(CASE WHEN l.wall_us > 0 THEN CAST(t.flops AS DOUBLE) / (l.wall_us * 1e6) END AS DOUBLE) AS achieved_tflops,
    CAST(CASE WHEN l.wall_us > 0 THEN CAST(t.bytes AS DOUBLE) / (l.wall_us * 1e3) END AS DOUBLE) AS achieved_gbps,
    COALESCE(d.compute_dtype, t.config_dtype) AS peak_dtype,
    p.peak_tflops,
    CAST(bw.peak_gbps AS DOUBLE) AS peak_gbps,
    CAST(CASE WHEN l.wall_us > 0 AND p.peak_tflops > 0 THEN 100.0 * CAST(t.flops AS DOUBLE) / (l.wall_us * 1e6) / p.peak_tflops END AS DOUBLE) AS mfu_pct,
    CAST(CASE WHEN l.wall_us > 0 AND bw.peak_gbps > 0 THEN 100.0 * CAST(t.bytes AS DOUBLE) / (l.wall_us * 1e3) / bw.peak_gbps END AS DOUBLE) AS mbu_pct,
    t.flops_source,
    CAST(COALESCE(t.kernels_with_work, 0) AS BIGINT) AS kernels_with_work,
    l.kernel_count
FROM layers AS l
LEFT JOIN work AS t ON t.run_id = l.run_id AND t.device = l.device AND t.pass_idx = l.pass_idx AND t.layer_idx = l.layer_idx
LEFT JOIN by_dtype AS d ON d.run_id = l.run_id AND d.device = l.device AND d.pass_idx = l.pass_idx AND d.layer_idx = l.layer_idx AND d.rn = 1
LEFT JOIN gpu_peaks AS p ON p.run_id = l.run_id AND p.dtype = COALESCE(d.compute_dtype, t.config_dtype)
LEFT JOIN bw ON bw.run_id = l.run_id;
