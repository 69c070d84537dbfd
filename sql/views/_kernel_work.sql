-- _kernel_work: helper (not public surface). Each kernel whose work is known: its launch context's kernel_work row, and
-- for a serving attention kernel (kernel_work.flops_per_sq_sk not NULL) that row completed with its pass's attention
-- lengths (pass_attention_lengths): FLOPs = flops_per_sq_sk * (c_sqsk - c_sqsq/2 + g_sqsk), i.e. 2*H*(d_qk+d_v) per
-- query-key pair, the prefill part causal; bytes = bytes_per_sq * sum(Sq) + bytes_per_sk * sum(Sk). Such a kernel is
-- left out when its pass has no lengths, when the pass's sum(Sq) is not the op's query_tokens, or when a decode-only
-- op (attention_parts generation) meets a pass with a prefill part.
--   run_id         run
--   device         GPU device
--   kernel_idx     the kernel (kernels.kernel_idx)
--   pass_idx       forward pass, NULL outside every pass
--   layer_idx      transformer layer, NULL outside layers
--   context_id     launch context (launch_contexts.context_id)
--   dur_ns         kernel duration, ns
--   op_class       gemm, attention, elementwise, reduction
--   compute_dtype  dtype whose peak bounds the kernel
--   formula        the formula with its numbers (and the pass's lengths for serving attention)
--   flops          floating-point operations
--   bytes          bytes read + written, NULL when a dtype is unknown
CREATE VIEW _kernel_work AS
SELECT
    r.run_id, r.device, r.kernel_idx, r.pass_idx, r.layer_idx, r.context_id, r.dur_ns, w.op_class, w.compute_dtype,
    CASE WHEN w.flops_per_sq_sk IS NULL THEN w.formula
         ELSE w.formula || ' c_sqsk=' || CAST(a.context_sq_sk AS TEXT) || ' c_sqsq=' || CAST(a.context_sq_sq AS TEXT)
              || ' g_sqsk=' || CAST(a.generation_sq_sk AS TEXT) || ' sum(Sq)=' || CAST(a.context_sq + a.generation_sq AS TEXT)
              || ' sum(Sk)=' || CAST(a.context_sk + a.generation_sk AS TEXT) || ' (annotation)'
    END AS formula,
    CAST(CASE WHEN w.flops_per_sq_sk IS NULL THEN w.flops
              ELSE w.flops_per_sq_sk * (2 * a.context_sq_sk - a.context_sq_sq + 2 * a.generation_sq_sk) / 2
         END AS BIGINT) AS flops,
    CAST(CASE WHEN w.flops_per_sq_sk IS NULL THEN w.bytes
              ELSE w.bytes_per_sq * (a.context_sq + a.generation_sq) + w.bytes_per_sk * (a.context_sk + a.generation_sk)
         END AS BIGINT) AS bytes
FROM _kernel_labels AS r
JOIN kernel_work AS w ON w.context_id = r.context_id AND w.name_id = r.name_id
LEFT JOIN pass_attention_lengths AS a ON a.run_id = r.run_id AND a.device = r.device AND a.pass_idx = r.pass_idx
WHERE w.flops_per_sq_sk IS NULL
   OR (a.run_id IS NOT NULL AND w.query_tokens = a.context_sq + a.generation_sq
       AND (w.attention_parts = 'all' OR (a.context_sq = 0 AND a.context_seqs = 0)));
