-- LlmPipeline database schema.
-- One SQLite file holds many runs; every table with per-run rows carries run_id.
-- Units: *_ns columns are integer nanoseconds (ts/dur of the Chrome trace format are microseconds; the
-- ingester parses their decimal text into exact integer nanoseconds). *_us columns are REAL microseconds
-- exact to the nanosecond (ns / 1000.0). Views (one per file in sql/views/) present milliseconds (*_ms)
-- and seconds (*_s) with the unit in the column name.
-- Only SQL that SQLite 3.40 runs (Debian 12's sqlite3), so any SQLite tool can open the file.

-- One row per ingested trace file (per device segmentation lives in passes/layers).
CREATE TABLE IF NOT EXISTS runs (
    run_id            INTEGER PRIMARY KEY AUTOINCREMENT, -- run id: 1, 2, 3 ... in ingest order, never reused
    label             TEXT,                 -- free text given with --label
    source_path       TEXT NOT NULL,        -- trace path given at ingest, made absolute
    source_bytes      INTEGER NOT NULL,     -- size of the trace file on disk, bytes
    source_sha256     TEXT NOT NULL,        -- SHA-256 of the file bytes (hex), for duplicate detection
    json_bytes        INTEGER,              -- bytes of (decompressed) JSON read
    ingested_at       TEXT NOT NULL,        -- UTC, ISO 8601
    framework         TEXT,                 -- vllm, sglang, trtllm, rtp-llm, hf-transformers... (given or inferred)
    framework_source  TEXT,                 -- why: 'flag', or the evidence of the inference
    git_commit        TEXT,                 -- commit given with --commit
    model             TEXT,                 -- model name (given or inferred)
    model_source      TEXT,                 -- why: 'flag', or the evidence of the inference
    gpu_name          TEXT,                 -- deviceProperties[0].name
    rank              INTEGER,              -- distributedInfo.rank, else from the file name
    world_size        INTEGER,              -- distributedInfo.world_size
    profile           TEXT NOT NULL,        -- model profile name used for segmentation and categories
    profile_reason    TEXT,                 -- why this profile (flag, config key, fallback)
    anchor_kernel     TEXT,                 -- anchor pattern (case-insensitive substring), NULL when none found
    anchor_role       TEXT,                 -- 'opens' or 'closes'
    anchor_reason     TEXT,                 -- why this anchor
    num_layers        INTEGER,              -- transformer layers per pass used by every report
    num_layers_source TEXT,                 -- --num-layers, config key, or detection
    blocks_per_layer  INTEGER,              -- anchor blocks per layer
    trace_start_ns    INTEGER,              -- earliest ts of any usable event (set-aside events excluded), ns
    trace_end_ns      INTEGER,              -- latest ts + dur of any usable event, ns
    base_time_ns      INTEGER,              -- the trace's baseTimeNanoseconds (wall clock = base_time_ns + ts_ns)
    config_json       TEXT,                 -- the model config.json used, verbatim
    tags              TEXT NOT NULL DEFAULT '{}', -- JSON object of --tag KEY=VALUE
    options_key       TEXT NOT NULL,        -- segmentation options fingerprint (profile, anchor, role, layers, config)
    kernel_count      INTEGER NOT NULL DEFAULT 0, -- kernels stored
    event_count       INTEGER NOT NULL DEFAULT 0, -- trace events read
    capture_id        INTEGER,              -- the capture (set of rank files of one profiling run) this run belongs to
    phase             TEXT,                 -- serving phase from the file name (-DECODE: decode, -EXTEND/-PREFILL: prefill)
    time_offset_ns    INTEGER NOT NULL DEFAULT 0, -- add to ts_ns to put this rank on its capture's common time base
    time_alignment    TEXT,                 -- how time_offset_ns was found (base_time_ns, collective end times, none)
    layer_evidence    TEXT,                 -- what set the layer boundaries: module_scopes, annotations, template, profile_pattern, anchor, none
    layer_evidence_detail TEXT,             -- that evidence in one sentence
    graph_launch_api  TEXT,                 -- the graph-launch call whose replays the run holds (cudaGraphLaunch, hipGraphLaunch), NULL without replays
    replay_kernels    INTEGER,              -- kernels run by graph replays (no launching cpu_op of their own), NULL without replays
    replay_attributed INTEGER,              -- of those, kernels given op_name, input dims and modules from a capture trace
    replay_match      TEXT,                 -- how replays were aligned to capture traces (sequence, rotation, per-stream, group-by-name, category, launch order; several with their replay counts), NULL when none was
    replay_captures   TEXT,                 -- capture trace files the replays were aligned to (file names, comma-separated), NULL when none
    graph_launch_count INTEGER              -- runtime graph launches in the trace (cudaGraphLaunch/hipGraphLaunch); NULL: no launch record, or stored before schema 5
);
CREATE INDEX IF NOT EXISTS runs_by_sha ON runs(source_sha256, options_key);
CREATE INDEX IF NOT EXISTS runs_by_capture ON runs(capture_id, rank);

-- A capture: the trace files of one profiling run taken on several ranks (one run per rank).
CREATE TABLE IF NOT EXISTS captures (
    capture_id   INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT NOT NULL,             -- the file name with its rank part removed
    world_size   INTEGER,                   -- ranks expected (distributedInfo.world_size), when known
    created_at   TEXT NOT NULL              -- UTC, ISO 8601
);

-- Each distinct kernel name once (shared by all runs).
CREATE TABLE IF NOT EXISTS kernel_names (
    name_id          INTEGER PRIMARY KEY,   -- kernel name id (kernels.name_id)
    name             TEXT NOT NULL UNIQUE,  -- full kernel name as in the trace
    simplified_name  TEXT NOT NULL          -- display name: demangled, templates and arguments shortened, at most 80 chars, unique in the database (a #2 suffix tells two apart)
);

-- What launched a kernel and how: the launching cpu_op (via External id) with its input shapes, and the launch
-- configuration. Each distinct combination once, shared by all runs; kernel_rows.context_id points here and the
-- kernels view shows the four columns on every kernel. A trace's kernels share a few hundred combinations at most
-- (25 for 733 k kernels of a DeepSeek-V3 decode trace), so a kernel row holds one integer instead of four texts: a
-- third less database per kernel, and a faster ingest.
CREATE TABLE IF NOT EXISTS launch_contexts (
    context_id   INTEGER PRIMARY KEY,       -- launch context id (kernel_rows.context_id)
    op_name      TEXT,                      -- name of the launching cpu_op (via External id), NULL when unknown
    input_dims   TEXT,                      -- that cpu_op's "Input Dims", JSON text, NULL when unknown
    grid         TEXT,                      -- args.grid as JSON text
    block        TEXT,                      -- args.block as JSON text
    input_types  TEXT,                      -- that cpu_op's "Input type", JSON list, NULL when unknown
    module       TEXT,                      -- innermost nn.Module scope (QKVParallelLinear_5) or vLLM "## Call CompiledFxGraph ... ##" annotation, NULL when none
    layer_module TEXT                       -- decoder-layer module scope (Qwen3DecoderLayer_5), NULL when none
);
-- Not UNIQUE: SQLite treats NULLs as distinct there; the ingester finds a combination (IS comparisons) before adding it.
-- Schema 5 added input_types, module and layer_module (graph-replay attribution from capture traces, issue 16).
CREATE INDEX IF NOT EXISTS launch_contexts_by_value ON launch_contexts(op_name, input_dims, grid, block);

-- One row per GPU kernel, as stored: read it through the kernels view (sql/views/kernels.sql), which adds the
-- kernel's category (kernel_name_categories), its pass, layer, block, half and role (kernel_spans) and its launch
-- context's op_name, input_dims, grid and block (launch_contexts).
CREATE TABLE IF NOT EXISTS kernel_rows (
    run_id       INTEGER NOT NULL,
    device       INTEGER NOT NULL,          -- GPU device (args.device, else pid)
    kernel_idx   INTEGER NOT NULL,          -- 0-based order by start time within run and device (ties: file order)
    stream       INTEGER,                   -- args.stream, else parsed from tid ("stream 7")
    ts_ns        INTEGER NOT NULL,          -- the file's ts in exact ns, no offset applied
    dur_ns       INTEGER NOT NULL,          -- duration, ns
    name_id      INTEGER NOT NULL REFERENCES kernel_names(name_id), -- the kernel's name (kernel_names.name_id)
    correlation  INTEGER,                   -- args.correlation (launch correlation id)
    external_id  INTEGER,                   -- args["External id"] (links to the launching cpu_op)
    context_id   INTEGER REFERENCES launch_contexts(context_id), -- launching cpu_op and grid/block; NULL when none is known
    PRIMARY KEY (run_id, device, kernel_idx)
) WITHOUT ROWID;
-- No index on category or labels: one run's kernels are a primary-key range (run_id first), which a category filter or
-- GROUP BY walks in tens of milliseconds for 200 k kernels, while an index cost every ingest an insert per kernel
-- (issue 6). Schema 3 dropped the kernels_by_category of older files; schema 4 moved the kernels table (text columns
-- per row) into kernel_rows + launch_contexts; schema 10 moved category and the segmentation labels out of the rows
-- (kernel_name_categories, kernel_spans): the row of a 1 GB trace's kernel got 40 % smaller, and re-segmenting or
-- re-categorizing a run rewrites a few thousand rows instead of every kernel.

-- The segmentation labels of a run's kernels, as spans: each row labels the kernels first_kernel_idx ..
-- last_kernel_idx (inclusive) of one device. Every part of a pass is a contiguous range of kernel_idx
-- (docs/segmentation.md), so a 733 k-kernel decode run of 23 k layers needs some 24 k spans. The spans of a device cover each of its kernels
-- exactly once, kernels outside every pass included (their labels NULL). Schema 10.
CREATE TABLE IF NOT EXISTS kernel_spans (
    run_id           INTEGER NOT NULL,
    device           INTEGER NOT NULL,      -- GPU device
    first_kernel_idx INTEGER NOT NULL,      -- first kernel of the span (kernel_rows.kernel_idx)
    last_kernel_idx  INTEGER NOT NULL,      -- last kernel of the span, inclusive
    pass_idx         INTEGER,               -- forward pass, NULL outside every pass
    layer_idx        INTEGER,               -- transformer layer, NULL for prologue/epilogue/outside
    block_idx        INTEGER,               -- anchor block within the pass, NULL outside blocks
    half             TEXT,                  -- half label of the block (attn/ffn for DeepSeek-V4, full otherwise)
    role             TEXT,                  -- layer, prologue, epilogue, mtp, draft, backward; NULL outside every pass (and in passes without layers)
    PRIMARY KEY (run_id, device, first_kernel_idx)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS kernel_spans_by_layer ON kernel_spans(run_id, pass_idx, layer_idx);

-- The category of each kernel name of a run: categories are given by the run's rules (category_rules) from the
-- kernel name alone, so every kernel of a name in a run has the same one. Schema 10.
CREATE TABLE IF NOT EXISTS kernel_name_categories (
    run_id    INTEGER NOT NULL,
    name_id   INTEGER NOT NULL,             -- kernel_names.name_id
    category  TEXT NOT NULL,                -- category key (see category_rules)
    PRIMARY KEY (run_id, name_id)
) WITHOUT ROWID;

-- The work of each (launch context, kernel name) pair: FLOPs and bytes moved, computed once from the launching op's
-- Input Dims and Input type (src/Analysis/Efficiency/OpWork.cs; shared by all runs, like launch_contexts). Pairs whose
-- op has no formula, or whose kernel is a helper of its op (memset, split-K / attention reduce), have no row.
-- Formulas (also in llmpipe schema): GEMM 2*M*N*K (+M*N bias), bmm 2*B*M*N*K; attention forward
-- 2*B*H*Sq*Sk*(d_qk+d_v), halved when causal (Sq = Sk > 1); bytes = inputs + output at their dtype sizes (GEMM output
-- M*N, elementwise output = largest input, reductions and in-place ops no extra output). Serving attention ops (paged /
-- decode attention, vLLM unified_attention, aiter mha_batch_prefill, varlen flash ops) attend a context their shapes
-- do not give (the KV cache's shape is its capacity): their row holds the work per query-key pair, query token and key
-- token (flops_per_sq_sk, bytes_per_sq, bytes_per_sk; flops 0 and bytes NULL), and the efficiency views complete it
-- with each pass's lengths (pass_attention_lengths): FLOPs = flops_per_sq_sk * (c_sqsk - c_sqsq/2 + g_sqsk), bytes =
-- bytes_per_sq * sum(Sq) + bytes_per_sk * sum(Sk). Schema 6; schema 8 added the per-pair columns. Every schema upgrade
-- computes the rows again from the stored launch contexts, so a database gets the formulas of the build that opens it.
CREATE TABLE IF NOT EXISTS kernel_work (
    context_id    INTEGER NOT NULL,         -- launch_contexts.context_id
    name_id       INTEGER NOT NULL,         -- kernel_names.name_id
    op_class      TEXT NOT NULL,            -- gemm, attention, elementwise, reduction
    flops         INTEGER NOT NULL,         -- floating-point operations per kernel (0: bytes only, or work per pass below)
    bytes         INTEGER,                  -- bytes read + written per kernel, NULL when a dtype is unknown or the work is per pass
    compute_dtype TEXT,                     -- dtype key of the bounding peak: fp32, tf32, bf16, fp16, fp8, fp4, int8
    formula       TEXT NOT NULL,            -- the formula with its numbers
    query_tokens  INTEGER,                  -- serving attention: tokens of its q, which the pass's sum(Sq) must equal; else NULL
    flops_per_sq_sk INTEGER,                -- serving attention: FLOPs per query-key pair, 2*H*(d_qk+d_v); else NULL
    bytes_per_sq  INTEGER,                  -- serving attention: bytes per query token, H*(d_qk+d_v)*size(q) (q read, out written)
    bytes_per_sk  INTEGER,                  -- serving attention: bytes per key token, H_kv*(d_qk+d_v)*size(kv) (K and V read)
    attention_parts TEXT,                   -- serving attention: generation (decode-only op: needs a pass without prefill part) or all
    PRIMARY KEY (context_id, name_id)
) WITHOUT ROWID;

-- Each run's GPU peaks, from the shipped GPU table (src/Analysis/Efficiency/gpu_specs.json) or --gpu-specs, matched on
-- runs.gpu_name; one row per dtype. A run whose GPU is unknown has no rows (its efficiency columns are NULL). Schema 6.
CREATE TABLE IF NOT EXISTS gpu_peaks (
    run_id        INTEGER NOT NULL,
    dtype         TEXT NOT NULL,            -- fp32 (non-tensor-core), tf32, bf16, fp16, fp8, fp4, int8
    gpu_spec      TEXT NOT NULL,            -- the matched entry, e.g. NVIDIA H100 SXM
    peak_tflops   REAL NOT NULL,            -- dense peak, TFLOP/s (10^12 FLOP/s)
    peak_gbps     REAL NOT NULL,            -- peak memory bandwidth, GB/s (10^9 B/s)
    datasheet     TEXT,                     -- where the numbers come from
    PRIMARY KEY (run_id, dtype)
) WITHOUT ROWID;

-- Config-derived work of each run's layers and lm_head (src/Analysis/Efficiency/ConfigWork.cs), for passes whose
-- kernels lack their op's shapes (graph replays without a capture trace, GPU-only traces): per token, GEMM FLOPs
-- QKV 2*H*(nH+2*nKV)*d + O 2*nH*d*H + MLP 2*3*H*I, or for a MoE layer router 2*H*E + routed 2*top_k*3*H*I_moe + shared
-- 2*3*H*I_shared; lm_head 2*H*V (layer_idx -1; per sequence: only each sequence's last token gets logits). Bytes: the weights read once per pass at torch_dtype's size (fp8 when
-- quantization_config says so). Attention, where a pass's lengths are known (pass_attention_lengths):
-- attn_flops_per_sq_sk = 2*nH*(d_qk+d_v) FLOPs per query-key pair and kv_bytes_per_sk = nKV*(d_qk+d_v)*size bytes of
-- KV cache read per key token (at torch_dtype's size; a quantized KV cache is a serving option the config does not
-- record); a sliding-window layer counts only when the pass's sum(Sk) fits its window (each sequence then sees its
-- whole context); NULL for MLA, sparse (index_topk, compress_ratios) and linear-attention layers, whose attention these
-- formulas do not describe. No rows when the run has no config or the config lacks a size. Schema 7; schema 8 added
-- attention.
CREATE TABLE IF NOT EXISTS config_work (
    run_id          INTEGER NOT NULL,
    layer_idx       INTEGER NOT NULL,       -- transformer layer, -1 for lm_head
    flops_per_token INTEGER NOT NULL,       -- GEMM FLOPs per token
    weight_bytes    INTEGER NOT NULL,       -- bytes of the weights read once per pass (all but routed experts)
    expert_bytes    INTEGER NOT NULL,       -- bytes of one routed expert (0 for a dense layer)
    routed_experts  INTEGER NOT NULL,       -- routed experts (0 for a dense layer)
    top_k           INTEGER NOT NULL,       -- experts per token (0 for a dense layer)
    weight_dtype    TEXT NOT NULL,          -- bf16, fp16, fp32 or fp8
    formula         TEXT NOT NULL,          -- the formula with its numbers
    attn_flops_per_sq_sk INTEGER,           -- attention FLOPs per query-key pair, 2*nH*(d_qk+d_v); NULL: not counted (lm_head, MLA, sparse)
    kv_bytes_per_sk INTEGER,                -- KV-cache bytes read per key token, nKV*(d_qk+d_v)*size; NULL with attn_flops_per_sq_sk
    sliding_window  INTEGER,                -- the layer's attention window in tokens, NULL for full attention
    PRIMARY KEY (run_id, layer_idx)
) WITHOUT ROWID;

-- The attention lengths of each pass whose step annotation carries them (vLLM
-- execute_N_context_C(sq..sk..sqsq..sqsk..)_generation_G(...), SGLang step[... c_sq= c_sk= c_sqsq= c_sqsk= g_sq= ...],
-- ATOM prefill[... tok= sk= sqsq= sqsk=] / decode[...]; src/Analysis/Efficiency/AttentionContext.cs): the annotation
-- that set the pass's phase (passes.phase_source). Sums over the step's sequences, prefill (context) part and decode
-- (generation) part apart. The efficiency views complete serving attention kernels (kernel_work.flops_per_sq_sk) and
-- the config's attention (config_work.attn_flops_per_sq_sk) with them. Schema 8.
CREATE TABLE IF NOT EXISTS pass_attention_lengths (
    run_id            INTEGER NOT NULL,     -- run
    device            INTEGER NOT NULL,     -- GPU device
    pass_idx          INTEGER NOT NULL,     -- the pass (passes.pass_idx)
    context_seqs      INTEGER NOT NULL,     -- prefill sequences
    context_sq        INTEGER NOT NULL,     -- sum of Sq (new tokens) over the prefill sequences
    context_sk        INTEGER NOT NULL,     -- sum of Sk (new plus cached tokens) over the prefill sequences
    context_sq_sq     INTEGER NOT NULL,     -- sum of Sq*Sq over the prefill sequences
    context_sq_sk     INTEGER NOT NULL,     -- sum of Sq*Sk over the prefill sequences
    generation_seqs   INTEGER NOT NULL,     -- decode sequences
    generation_sq     INTEGER NOT NULL,     -- sum of Sq (query tokens, 1 each without speculation) over the decode sequences
    generation_sk     INTEGER NOT NULL,     -- sum of Sk (context tokens read from the KV cache) over the decode sequences
    generation_sq_sq  INTEGER NOT NULL,     -- sum of Sq*Sq over the decode sequences
    generation_sq_sk  INTEGER NOT NULL,     -- sum of Sq*Sk over the decode sequences
    annotation        TEXT NOT NULL,        -- the step annotation's name
    PRIMARY KEY (run_id, device, pass_idx)
) WITHOUT ROWID;

-- memcpy / memset activity (kept apart from kernels).
CREATE TABLE IF NOT EXISTS memory_ops (
    run_id   INTEGER NOT NULL,
    device   INTEGER,
    stream   INTEGER,
    ts_ns    INTEGER NOT NULL,
    dur_ns   INTEGER NOT NULL,
    kind     TEXT NOT NULL,                 -- memcpy or memset
    name     TEXT,                          -- e.g. "Memcpy HtoD (Pageable -> Device)"
    bytes    INTEGER                        -- bytes copied or set (args.bytes)
);
CREATE INDEX IF NOT EXISTS memory_ops_by_run ON memory_ops(run_id, ts_ns);

-- One row per forward pass per device.
CREATE TABLE IF NOT EXISTS passes (
    run_id          INTEGER NOT NULL,
    device          INTEGER NOT NULL,
    pass_idx        INTEGER NOT NULL,       -- 0-based within run and device
    start_ns        INTEGER NOT NULL,       -- earliest kernel start of the pass (prologue included)
    end_ns          INTEGER NOT NULL,       -- latest kernel end of the pass (epilogue included)
    wall_us         REAL NOT NULL,          -- end - start
    sum_us          REAL NOT NULL,          -- sum of kernel durations
    busy_us         REAL NOT NULL,          -- length of the union of kernel intervals
    idle_us         REAL NOT NULL,          -- wall - busy
    exposed_comm_us REAL NOT NULL DEFAULT 0,-- communication-kernel time not overlapped by any other kernel
    kernel_count    INTEGER NOT NULL,
    layer_count     INTEGER NOT NULL,       -- main transformer layers present (MTP/draft blocks excluded)
    is_partial      INTEGER NOT NULL,       -- 1 when the pass lacks layers (trace started or ended inside it)
    note            TEXT,                   -- cold-start, steady-state, growing <g>x, or NULL
    phase           TEXT,                   -- prefill, decode, mixed, idle (padding step), or NULL while unknown
    phase_source    TEXT,                   -- the annotation or kernel that decided the phase
    batch_size      INTEGER,                -- from the step annotation, when it says
    token_count     INTEGER,                -- from the step annotation, when it says
    is_outlier      INTEGER NOT NULL DEFAULT 0, -- 1 for ramp-up passes and passes far from the median of their phase
    outlier_reason  TEXT,                   -- why is_outlier is 1
    perfetto_start_ns INTEGER,              -- start in the ns Perfetto gives the file's ts (llround(ts_us * 1000) via a
                                            -- double; equals start_ns for relative ts, differs for absolute epoch ts)
    perfetto_end_ns INTEGER,                -- greatest Perfetto ts + Perfetto dur of the pass's kernels
    PRIMARY KEY (run_id, device, pass_idx)
) WITHOUT ROWID;

-- One row per transformer layer per pass.
CREATE TABLE IF NOT EXISTS layers (
    run_id          INTEGER NOT NULL,
    device          INTEGER NOT NULL,
    pass_idx        INTEGER NOT NULL,
    layer_idx       INTEGER NOT NULL,       -- 0-based, the true layer number (a partial first pass keeps them)
    layer_type      TEXT NOT NULL,          -- composable label, e.g. FIRST+SWA_ONLY+HASH (docs/segmentation.md)
    compress_ratio  INTEGER,                -- config compress_ratios[layer_idx], NULL when none
    start_ns        INTEGER NOT NULL,
    end_ns          INTEGER NOT NULL,
    wall_us         REAL NOT NULL,
    sum_us          REAL NOT NULL,
    busy_us         REAL NOT NULL,
    idle_us         REAL NOT NULL,
    exposed_comm_us REAL NOT NULL DEFAULT 0,
    kernel_count    INTEGER NOT NULL,
    comm_count      INTEGER NOT NULL,       -- communication kernels (category group comm)
    perfetto_start_ns INTEGER,              -- start in Perfetto's ns (see passes.perfetto_start_ns)
    perfetto_end_ns INTEGER,                -- end in Perfetto's ns
    PRIMARY KEY (run_id, device, pass_idx, layer_idx)
) WITHOUT ROWID;

-- The parts of each pass: prologue, each layer, any gap between layers, epilogue, and the pass's MTP / draft /
-- backward kernels. Every kernel of a pass is in exactly one part, so a pass's parts add up to it in kernel_count and
-- sum_us; read it through the pass_parts view.
CREATE TABLE IF NOT EXISTS pass_part_rows (
    run_id        INTEGER NOT NULL,
    device        INTEGER NOT NULL,
    pass_idx      INTEGER NOT NULL,
    part          TEXT NOT NULL,            -- prologue, layer, gap, epilogue, mtp, draft, backward, unsegmented
    layer_idx     INTEGER,                  -- the layer of a 'layer' part, else NULL
    start_ns      INTEGER NOT NULL,         -- earliest kernel start of the part
    end_ns        INTEGER NOT NULL,         -- latest kernel end of the part
    sum_us        REAL NOT NULL,            -- sum of kernel durations
    busy_us       REAL NOT NULL,            -- length of the union of the part's kernel intervals
    kernel_count  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS pass_part_rows_by_pass ON pass_part_rows(run_id, device, pass_idx, start_ns);

-- user_annotation / gpu_user_annotation ranges and ProfilerStep#N markers.
CREATE TABLE IF NOT EXISTS annotations (
    run_id       INTEGER NOT NULL,
    cat          TEXT NOT NULL,             -- trace event category (user_annotation, gpu_user_annotation)
    name         TEXT NOT NULL,
    ts_ns        INTEGER NOT NULL,
    dur_ns       INTEGER,
    pid          TEXT,                      -- trace event pid, as text
    tid          TEXT,                      -- trace event tid, as text
    external_id  INTEGER
);
CREATE INDEX IF NOT EXISTS annotations_by_run ON annotations(run_id, ts_ns);

-- cuda_runtime / cuda_driver calls (kernel launches, graph launches, syncs).
CREATE TABLE IF NOT EXISTS launches (
    run_id       INTEGER NOT NULL,
    correlation  INTEGER,
    name         TEXT NOT NULL,
    ts_ns        INTEGER NOT NULL,
    dur_ns       INTEGER,
    tid          TEXT,
    external_id  INTEGER
);
CREATE INDEX IF NOT EXISTS launches_by_run ON launches(run_id, correlation);

-- The category rules each run was classified with, in evaluation order.
CREATE TABLE IF NOT EXISTS category_rules (
    run_id          INTEGER NOT NULL,
    profile         TEXT NOT NULL,
    rule_order      INTEGER NOT NULL,       -- 0-based, first match wins
    pattern         TEXT NOT NULL,          -- case-insensitive regular expression
    category        TEXT NOT NULL,
    label           TEXT NOT NULL,
    category_group  TEXT NOT NULL,
    PRIMARY KEY (run_id, rule_order)
) WITHOUT ROWID;

-- The trace's top-level keys (deviceProperties, distributedInfo, baseTimeNanoseconds, traceName, ...).
CREATE TABLE IF NOT EXISTS trace_metadata (
    run_id   INTEGER NOT NULL,
    key      TEXT NOT NULL,                 -- top-level key of the trace JSON
    value    TEXT,                          -- JSON text of the value
    PRIMARY KEY (run_id, key)
) WITHOUT ROWID;

-- Every repair, set-aside event and segmentation warning, counted per kind.
CREATE TABLE IF NOT EXISTS ingest_warnings (
    run_id             INTEGER NOT NULL,
    kind               TEXT NOT NULL,       -- stable snake_case code
    count              INTEGER NOT NULL,    -- occurrences
    first_byte_offset  INTEGER,             -- in the decompressed stream; NULL for segmentation warnings
    detail             TEXT,                -- first occurrence, in words
    PRIMARY KEY (run_id, kind)
) WITHOUT ROWID;

-- The warning catalogue (`llmpipe warnings --kinds`, docs/warnings.md): one row per kind that ingest_warnings.kind can
-- hold. Written from the catalogue of the build that created or upgraded the file, and again whenever a writer finds
-- it differs from its own catalogue. Severity info marks a note (nothing is wrong with the trace); every other severity
-- a warning. Schema 9 added it.
CREATE TABLE IF NOT EXISTS warning_kinds (
    code        TEXT PRIMARY KEY,           -- ingest_warnings.kind
    severity    TEXT NOT NULL,              -- info, repair, set_aside, degraded, failed
    stage       TEXT NOT NULL,              -- where in the ingest the kind is recorded (reading, normalizing, ...)
    meaning     TEXT NOT NULL,              -- what happened, in one sentence
    what_to_do  TEXT NOT NULL,              -- what the user can do about it
    source      TEXT NOT NULL               -- where the problem was reported, or the trace-format fact behind it
) WITHOUT ROWID;

-- Candidate anchor kernels examined at ingest (see `llmpipe anchors`).
CREATE TABLE IF NOT EXISTS anchor_candidates (
    run_id          INTEGER NOT NULL,
    device          INTEGER NOT NULL,
    name            TEXT NOT NULL,
    occurrences     INTEGER NOT NULL,       -- kernels with this name on the device
    per_layer       INTEGER NOT NULL,       -- 1: once per layer; 2: twice per layer
    regularity      REAL NOT NULL,          -- fraction of spacings within 10 % of the previous one
    coverage        REAL NOT NULL,          -- occurrences in regular runs / per_layer
    implied_layers  INTEGER,                -- layers per pass implied, when known
    chosen          INTEGER NOT NULL,       -- 1 for the anchor used
    PRIMARY KEY (run_id, device, name, per_layer)
) WITHOUT ROWID;
