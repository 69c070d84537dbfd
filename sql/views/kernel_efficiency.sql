-- kernel_efficiency: each kernel's work (from its launching op's shapes, table kernel_work, through _kernel_work) set
-- against its duration and its GPU's peaks (table gpu_peaks). Only kernels with a known work appear. Formulas: GEMM
-- 2*M*N*K (+M*N for a bias), bmm 2*B*M*N*K; attention forward 2*B*H*Sq*Sk*(d_qk+d_v) (= 4*B*H*Sq*Sk*d), halved when
-- causal (Sq = Sk > 1); bytes = inputs + output at their dtype sizes (GEMM output M*N; elementwise output = its largest
-- input). Grouped / MoE GEMMs (fused_moe, fused_experts, moe_forward, aiter/sgl_kernel fused MoE, DeepGEMM
-- m_grouped_*), when the op gives hidden [T, K], expert weights [E, N, K] and top-k ids [T, top_k]:
-- 2*T*top_k*sum(N*K) over the expert weights, bytes = hidden in + output + the weights of the min(E, T*top_k) experts
-- read (vLLM's moe_forward records only the hidden states and the router logits, no expert weights: its work stays
-- unknown). A kernel whose name says which expert GEMM it runs (stage1 / gate_up / fc1 / w13 / swiglu: the first;
-- stage2 / down / fc2 / w2: the second) carries that GEMM's FLOPs, 2*T*top_k*N_j*K_j, and its bytes (the first the
-- hidden in and its weights, the second its weights and the output); otherwise the op's work is split evenly over its
-- GEMM launches (one per expert weight: vLLM's two fused_moe_kernel launches differ only in their grid, which depends
-- on the tile sizes chosen, so they cannot be told apart). Serving attention ops (paged / decode attention, vLLM
-- unified_attention, aiter mha_batch_prefill, varlen flash ops), whose KV cache shape is its capacity, take the
-- context from their pass's step annotation (pass_attention_lengths): 2*H*(d_qk+d_v)*(c_sqsk - c_sqsq/2 + g_sqsk)
-- FLOPs (the prefill part causal), bytes = q and out H*(d_qk+d_v)*sum(Sq) + the K and V read H_kv*(d_qk+d_v)*sum(Sk)
-- at their dtype sizes; without lengths (or with lengths whose sum(Sq) is not the op's tokens) they have no row. A
-- GEMM's peak is that of its input dtype (the lower precision of the two); fp32 GEMMs use the fp32 non-tensor-core
-- peak, since PyTorch disables TF32 for matmul by default. Peaks are dense datasheet figures
-- (src/Analysis/Efficiency/gpu_specs.json).
--   run_id              run
--   device              GPU device
--   kernel_idx          the kernel (kernels.kernel_idx)
--   pass_idx            forward pass, NULL outside every pass
--   layer_idx           transformer layer, NULL outside layers
--   op_name             launching cpu_op
--   op_class            gemm, attention, elementwise, reduction
--   compute_dtype       dtype whose peak bounds the kernel: fp32, tf32, bf16, fp16, fp8, fp4, int8
--   formula             the FLOPs formula with its numbers
--   dur_ns              kernel duration, ns
--   flops               floating-point operations (0 for bytes-only kernels)
--   bytes               bytes read + written, NULL when a dtype is unknown
--   flops_source        shapes (the launching op's Input Dims; for serving attention with its pass's lengths)
--   achieved_tflops     flops / duration, TFLOP/s (10^12 FLOP/s)
--   achieved_gbps       bytes / duration, GB/s (10^9 B/s)
--   peak_tflops         the GPU's dense peak for compute_dtype, TFLOP/s; NULL for an unknown GPU or a bytes-only kernel
--   peak_gbps           the GPU's peak memory bandwidth, GB/s; NULL for an unknown GPU
--   pct_peak_compute    100 * achieved_tflops / peak_tflops, %
--   pct_peak_bandwidth  100 * achieved_gbps / peak_gbps, %
--   flops_per_byte      arithmetic intensity, FLOP/B
--   bound               compute when flops_per_byte reaches the ridge point (peak_tflops * 1000 / peak_gbps), else memory
CREATE VIEW kernel_efficiency AS
WITH bw AS (
    SELECT run_id, MAX(peak_gbps) AS peak_gbps FROM gpu_peaks GROUP BY run_id
), k AS (
    SELECT
        w.run_id, w.device, w.kernel_idx, w.pass_idx, w.layer_idx, c.op_name, w.op_class, w.compute_dtype, w.formula,
        w.dur_ns, w.flops, w.bytes,
        CASE WHEN w.flops > 0 THEN p.peak_tflops END AS peak_tflops,
        bw.peak_gbps
    FROM _kernel_work AS w
    JOIN launch_contexts AS c ON c.context_id = w.context_id
    LEFT JOIN gpu_peaks AS p ON p.run_id = w.run_id AND p.dtype = w.compute_dtype
    LEFT JOIN bw ON bw.run_id = w.run_id
)
SELECT
    run_id, device, kernel_idx, pass_idx, layer_idx, op_name, op_class, compute_dtype, formula, dur_ns, flops, bytes,
    'shapes' AS flops_source,
    CAST(CASE WHEN dur_ns > 0 THEN CAST(flops AS DOUBLE) / (CAST(dur_ns AS DOUBLE) * 1e3) END AS DOUBLE) AS achieved_tflops,
    CAST(CASE WHEN dur_ns > 0 THEN CAST(bytes AS DOUBLE) / CAST(dur_ns AS DOUBLE) END AS DOUBLE) AS achieved_gbps,
    CAST(peak_tflops AS DOUBLE) AS peak_tflops,
    CAST(peak_gbps AS DOUBLE) AS peak_gbps,
    CAST(CASE WHEN dur_ns > 0 AND peak_tflops > 0 THEN 100.0 * CAST(flops AS DOUBLE) / (CAST(dur_ns AS DOUBLE) * 1e3) / peak_tflops END AS DOUBLE) AS pct_peak_compute,
    CAST(CASE WHEN dur_ns > 0 AND peak_gbps > 0 THEN 100.0 * CAST(bytes AS DOUBLE) / CAST(dur_ns AS DOUBLE) / peak_gbps END AS DOUBLE) AS pct_peak_bandwidth,
    CAST(CASE WHEN bytes > 0 THEN CAST(flops AS DOUBLE) / CAST(bytes AS DOUBLE) END AS DOUBLE) AS flops_per_byte,
    CASE
        WHEN peak_gbps IS NULL OR bytes IS NULL THEN NULL
        WHEN flops = 0 OR peak_tflops IS NULL THEN 'memory'
        WHEN CAST(flops AS DOUBLE) / CAST(bytes AS DOUBLE) >= peak_tflops * 1000.0 / peak_gbps THEN 'compute'
        ELSE 'memory'
    END AS bound
FROM k;
