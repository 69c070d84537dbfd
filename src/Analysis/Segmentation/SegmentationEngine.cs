using System.Globalization;
using System.Runtime.CompilerServices;
using LlmPipeline.Analysis.Categories;
using LlmPipeline.Analysis.Config;
using LlmPipeline.Analysis.Layers;
using LlmPipeline.Analysis.Names;
using LlmPipeline.Analysis.Profiles;
using LlmPipeline.Analysis.Warnings;

namespace LlmPipeline.Analysis.Segmentation;

/// <summary>The segmentation algorithm behind <see cref="Segmenter.Segment"/>.</summary>
internal sealed partial class SegmentationEngine
{
    private const long OnePassMinGapNs = 100_000; // 100 us
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private readonly KernelSequence _k;
    private readonly int _n;
    private readonly int[] _ruleOfName;
    private readonly bool[] _commName;
    private readonly bool[] _moeName;
    private readonly bool[] _gemmName;
    private readonly bool[] _samplingName;
    private readonly long _stepGapNs;
    private readonly LayerStarts _layerStarts;
    private string? _attentionFallback;
    private string? _layerStartPattern;
    private bool _cutShort;
    private readonly long[] _gap;
    private readonly List<SegmentationWarning> _warnings = [];

    private readonly int[] _pass;
    private readonly int[] _layer;
    private readonly int[] _block;
    private readonly sbyte[] _half;
    private readonly KernelRole[] _role;

    private SegmentationEngine(KernelSequence k, KernelCategorizer categorizer)
    {
        _k = k;
        _n = k.Count;
        var cats = categorizer.CategorizeAll(k.Names);
        _ruleOfName = cats.Select(c => c.RuleOrder).ToArray();
        _commName = cats.Select(c => c.Group == "comm").ToArray();
        _moeName = cats.Select(c => c.Group == "moe").ToArray();
        _gemmName = cats.Select(c => c.Group == "gemm").ToArray();
        _samplingName = cats.Select(c => c.Group == "sampling").ToArray();
        _layerStarts = new LayerStarts(k, cats.Select(c => c.Group == "norm").ToArray());
        _gap = IdleGaps.Compute(k);
        _stepGapNs = StepGapThreshold(_gap);
        _pass = Filled(_n, -1);
        _layer = Filled(_n, -1);
        _block = Filled(_n, -1);
        _half = new sbyte[_n];
        Array.Fill(_half, (sbyte)-1);
        _role = new KernelRole[_n];
    }

    public static SegmentationResult Run(KernelSequence k, ModelProfile profile, KernelCategorizer categorizer,
        SegmentationOptions options, ModelConfig? config) =>
        new SegmentationEngine(k, categorizer).Execute(profile, categorizer, options, config);

    private int Rule(int i) => _ruleOfName[_k.NameId[i]];
    private bool IsComm(int i) => _commName[_k.NameId[i]];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once over every kernel: no tier-0 warm-up
    private SegmentationResult Execute(ModelProfile profile, KernelCategorizer categorizer, SegmentationOptions options, ModelConfig? config)
    {
        var role = options.AnchorRole ?? profile.AnchorRole;
        _layerStartPattern = profile.LayerStartKernel;
        _cutShort = options.TraceCutShort;
        var bpl = profile.BlocksPerLayer;
        var halfLabels = profile.HalfLabels;

        int? numLayers = null;
        var numSource = "none";
        if (options.NumLayers is > 0)
        {
            numLayers = options.NumLayers;
            numSource = "--num-layers";
        }
        else if (config?.NumHiddenLayers is > 0)
        {
            numLayers = config.NumHiddenLayers;
            numSource = "config num_hidden_layers";
        }

        if (_n == 0)
            return NoPasses(new AnchorChoice(null, role, bpl, "the device has no kernels"), numLayers ?? 0, numSource, [], halfLabels,
                WarningCatalog.NoKernels, "The device has no GPU kernels, so there is nothing to segment.");

        // ---- anchor
        string? pattern;
        string reason;
        int[] anchors;
        IReadOnlyList<AnchorCandidate> candidates = [];
        var anchorNameIds = new HashSet<int>();
        if (!string.IsNullOrEmpty(options.AnchorKernel))
        {
            pattern = options.AnchorKernel;
            anchors = MatchAnchors(pattern, anchorNameIds);
            reason = string.Create(Inv, $"--anchor-kernel '{pattern}' ({anchors.Length} occurrences, {Describe(role)}, {bpl} block(s) per layer)");
            if (anchors.Length < 2 && !(anchors.Length == 1 && numLayers == 1))
                return NoPasses(new AnchorChoice(pattern, role, bpl, reason), numLayers ?? 0, numSource, [], halfLabels, WarningCatalog.AnchorNotFound,
                    string.Create(Inv, $"The anchor kernel '{pattern}' given with --anchor-kernel occurs {anchors.Length} time(s); at least 2 are needed, so no passes were built."));
        }
        else
        {
            pattern = profile.AnchorKernel;
            anchors = pattern is null ? [] : MatchAnchors(pattern, anchorNameIds);
            reason = pattern is null ? "" : string.Create(Inv, $"profile {profile.Name} anchor '{pattern}' ({anchors.Length} occurrences, {Describe(role)}, {bpl} block(s) per layer)");
            if (pattern is not null && anchors.Length < 2 * bpl)
            {
                _warnings.Add(new(WarningCatalog.AnchorNotFound, string.Create(Inv,
                    $"The profile {profile.Name} anchor '{pattern}' occurs {anchors.Length} time(s) in this trace; the anchor was auto-detected instead.")));
                pattern = null;
                anchorNameIds.Clear();
            }
            if (pattern is null)
            {
                var ranked = AnchorDetector.Rank(_k, categorizer, numLayers, out var filtered);
                _attentionFallback = ranked.Skip(1).FirstOrDefault(x => x.IsAttention)?.Candidate.Name;
                if (ranked.Count == 0 && numLayers is null or 1 && SingleLayerAnchor(categorizer) is { } single)
                {
                    // One layer per pass: nothing can recur within a pass, so the anchor is the layer's attention kernel.
                    pattern = _k.Names[single];
                    anchorNameIds.Add(single);
                    anchors = PositionsOf(single);
                    bpl = 1;
                    halfLabels = ProfileJson.DefaultHalfLabels(1);
                    role = options.AnchorRole ?? AnchorRole.Opens;
                    reason = string.Create(Inv, $"'{NameSimplifier.Simplify(pattern)}', the attention kernel of a trace in which no kernel recurs within a pass ({anchors.Length} occurrence(s), one layer each)");
                    if (numLayers is null)
                    {
                        numLayers = 1;
                        numSource = "detected: one attention kernel per pass and no kernel that recurs within it, so one layer per pass";
                    }
                    return BuildPasses(anchors, 1, 1, 1, role, new AnchorChoice(pattern, role, 1, reason), numSource, [], halfLabels, config);
                }
                if (ranked.Count == 0)
                    return NoPasses(new AnchorChoice(null, role, bpl, "no kernel name recurs regularly enough to be a layer anchor"),
                        numLayers ?? 0, numSource, [], halfLabels, WarningCatalog.NoAnchor,
                        "No kernel name occurs at regular spacing (within 10 % over at least three consecutive spacings), so the trace has no visible layer structure: no passes were built.");
                var chosen = ranked[0];
                candidates = ranked.Take(20).Select((s, i) => s.Candidate with { Chosen = i == 0 }).ToArray();
                pattern = chosen.Candidate.Name;
                anchorNameIds.Add(chosen.NameId);
                anchors = PositionsOf(chosen.NameId);
                if (chosen.Candidate.PerLayer != bpl)
                {
                    bpl = chosen.Candidate.PerLayer;
                    halfLabels = ProfileJson.DefaultHalfLabels(bpl);
                }
                role = options.AnchorRole ?? AnchorRole.Opens;
                var runnerUp = ranked.Count > 1 ? $"; next best '{NameSimplifier.Simplify(ranked[1].Candidate.Name)}' with coverage {ranked[1].Candidate.Coverage.ToString("0.#", Inv)}" : "";
                reason = string.Create(Inv,
                    $"auto-detected '{NameSimplifier.Simplify(pattern)}': {chosen.Candidate.Occurrences} occurrences, {(bpl == 1 ? "once" : "twice")} per layer, coverage {chosen.Candidate.Coverage:0.#} layers in regular runs, regularity {chosen.Candidate.Regularity:0.00}{(chosen.IsAttention ? ", attention kernel" : "")}{(filtered ? $", consistent with {numLayers} layers" : "")}{runnerUp}");
            }
        }
        var anchor = new AnchorChoice(pattern, role, bpl, reason);

        // ---- layer count
        if (numLayers is null)
        {
            var (detected, source, _) = LayerCountDetector.Detect(_k, anchors, bpl, _gap, anchorNameIds, _samplingName, options.TraceCutShort);
            if (detected is > 0)
            {
                numLayers = detected;
                numSource = source;
            }
            else if (profile.DefaultNumLayers is > 0)
            {
                numLayers = profile.DefaultNumLayers;
                numSource = $"profile {profile.Name} default_num_layers (detection failed: {source})";
                _warnings.Add(new(WarningCatalog.LayerCountDefault, $"The layer count could not be detected ({source}); the profile default {numLayers} is used."));
            }
            else
            {
                return NoPasses(anchor, 0, "none", candidates, halfLabels, WarningCatalog.NoLayerCount,
                    $"The anchor was found but the layer count could not be detected ({source}) and neither --num-layers nor a config gives one, so no passes were built.");
            }
        }
        else if (numSource.StartsWith("config", StringComparison.Ordinal))
        {
            // The config's count is a prior: a pipeline-parallel rank runs only its stage's layers, so whole steps (between
            // the idle gaps or once-per-step kernels that separate them) that hold fewer layers than the config says win (steps are never merged to fit the config). More anchors per
            // step than the config's layers are MTP or draft blocks, handled below.
            var (detected, source, fromSteps) = LayerCountDetector.Detect(_k, anchors, bpl, _gap, anchorNameIds, _samplingName, options.TraceCutShort);
            if (fromSteps && detected is > 0 && detected < numLayers)
            {
                _warnings.Add(new(WarningCatalog.LayerCountMismatch, string.Create(Inv,
                    $"The config says {numLayers} layers ({numSource}), but the trace's steps hold {detected} ({source}); {detected} is used (a pipeline-parallel stage runs only its own layers). Give --num-layers to override.")));
                numSource = string.Create(Inv, $"trace steps ({detected} layers; the config's {numLayers} is more than a step holds)");
                numLayers = detected;
            }
        }
        var layers = numLayers.Value;
        var perPass = layers * bpl;
        var result = BuildPasses(anchors, perPass, bpl, layers, role, anchor, numSource, candidates, halfLabels, config);
        if (candidates.Count == 0 || AttentionInLayers(categorizer)) return result;
        if (_attentionFallback is { } attention && options.AnchorKernel is null)
        {
            // The most regular kernel is not a transformer layer's (a training step's GEMMs, say): the regular attention
            // kernel gives the layers instead.
            var retry = new SegmentationEngine(_k, categorizer).Execute(profile, categorizer, options with { AnchorKernel = attention }, config);
            var why = $"auto-detected '{NameSimplifier.Simplify(attention)}', the most regular attention kernel (the more regular '{NameSimplifier.Simplify(result.Anchor.Pattern ?? "")}' has no attention kernel in its period)";
            return retry with { Anchor = retry.Anchor with { Reason = why }, Candidates = candidates.Select(c => c with { Chosen = c.Name == attention }).ToList() };
        }
        return WithoutLayers(result);
    }

    // ------------------------------------------------------------------ passes
    private sealed class PassPlan
    {
        public int FirstAnchor;
        public int LastAnchor;
        public int BlockOffset;
        public bool IsPartial;
        public int LayerStart;
        public int LayerEnd;
        public int RangeStart;
        public int RangeEnd;
        public int MtpStart = -1;
        public int MtpEnd = -1;
        public int ExtraAfter; // anchors after this pass that belong to no pass (first index)
        public int ExtraCount;
        public KernelRole ExtraRole = KernelRole.Epilogue; // Mtp / Draft when the extra anchors are extra layer blocks
        public int[] ExtraFrom = [];
        public int[] ExtraTo = [];
        public int[]? Starts; // first kernel of each block's layer (one block per layer), when the layer-start rule placed them
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once over every kernel: no tier-0 warm-up
    private SegmentationResult BuildPasses(int[] a, int perPass, int bpl, int numLayers, AnchorRole role, AnchorChoice anchor,
        string numSource, IReadOnlyList<AnchorCandidate> candidates, IReadOnlyList<string> halfLabels, ModelConfig? config)
    {
        var count = a.Length;
        var score = new long[count];
        for (var s = 0; s < count; s++)
        {
            var from = s == 0 ? 1 : a[s - 1] + 1;
            long m = 0;
            for (var j = from; j <= a[s]; j++) if (_gap[j] > m) m = _gap[j];
            score[s] = m;
        }
        StepKernelBoundaries(score, a, bpl);
        TraceStartAsStepBoundary(score, perPass);
        var starts = PassPlanner.Plan(count, perPass, score);
        var plans = new List<PassPlan>();
        var nextn = config?.NumNextnPredictLayers ?? 0;
        var extraReport = new List<(int Pass, int Count, KernelRole Role)>();
        var typicalExtra = TypicalInnerExtra(starts, perPass);
        if (starts.Count == 0)
        {
            plans.Add(new PassPlan { FirstAnchor = 0, LastAnchor = count - 1, BlockOffset = 0, IsPartial = true });
            _warnings.Add(new(WarningCatalog.NoCompletePass, string.Create(Inv,
                $"The trace has {count} anchor blocks, fewer than one pass ({numLayers} layers x {bpl} blocks); they form one partial pass numbered from layer 0.")));
        }
        else
        {
            if (starts[0] > 0)
            {
                var k0 = starts[0];
                plans.Add(new PassPlan { FirstAnchor = 0, LastAnchor = k0 - 1, BlockOffset = Math.Max(0, perPass - k0), IsPartial = true });
                _warnings.Add(new(WarningCatalog.PartialPass, string.Create(Inv,
                    $"The trace starts mid-pass: pass 0 is partial with {k0} of {perPass} anchor blocks (layers {Math.Max(0, perPass - k0) / bpl}..{numLayers - 1}).")));
            }
            for (var i = 0; i < starts.Count; i++)
            {
                var s = starts[i];
                var plan = new PassPlan { FirstAnchor = s, LastAnchor = s + perPass - 1, BlockOffset = 0 };
                plans.Add(plan);
                var nextStart = i + 1 < starts.Count ? starts[i + 1] : count;
                var extra = nextStart - (s + perPass);
                if (extra <= 0) continue;
                if (i + 1 < starts.Count || (nextn > 0 && extra <= nextn * bpl) || extra == typicalExtra)
                {
                    // Extra anchors at the end of a step (issue 4, docs/messy-traces.md B34): MTP blocks when the config allows that many
                    // next-n layers, else speculative-decoding draft blocks. They never shift the next pass.
                    plan.ExtraAfter = s + perPass;
                    plan.ExtraCount = extra;
                    plan.ExtraRole = (nextn > 0 ? extra <= nextn * bpl : extra <= bpl) ? KernelRole.Mtp : KernelRole.Draft;
                    extraReport.Add((plans.Count - 1, extra, plan.ExtraRole));
                }
                else
                {
                    var tailGap = score[s + perPass];
                    var boundaryGaps = starts.Skip(1).Select(x => score[x]).DefaultIfEmpty(long.MaxValue).Min();
                    if (tailGap >= Math.Min(boundaryGaps, Math.Max(OnePassMinGapNs, 1)))
                    {
                        plans.Add(new PassPlan { FirstAnchor = s + perPass, LastAnchor = count - 1, BlockOffset = 0, IsPartial = true });
                        _warnings.Add(new(WarningCatalog.PartialPass, string.Create(Inv,
                            $"The trace ends mid-pass: the last pass is partial with {extra} of {perPass} anchor blocks (numbered from layer 0).")));
                    }
                    else
                    {
                        plan.ExtraAfter = s + perPass;
                        plan.ExtraCount = extra;
                        _warnings.Add(new(WarningCatalog.ExtraAnchors, string.Create(Inv,
                            $"{extra} anchor occurrence(s) after the last pass are not followed by an idle gap and do not make a pass; they are kept in the epilogue.")));
                    }
                }
            }
        }

        if (_cutShort && plans.Count > 0 && !plans[^1].IsPartial)
        {
            // The file ends early: its last step was cut, whatever its anchors count.
            plans[^1].IsPartial = true;
            _warnings.Add(new(WarningCatalog.PartialPass, "The trace file was cut short, so its last pass is incomplete and marked partial."));
        }
        foreach (var g in extraReport.GroupBy(x => (x.Count, x.Role)))
        {
            var passList = string.Join(", ", g.Select(x => x.Pass.ToString(Inv)).Take(10)) + (g.Count() > 10 ? ", ..." : "");
            var why = (g.Key.Role, nextn > 0) switch
            {
                (KernelRole.Mtp, true) => string.Create(Inv, $"marked as MTP (config num_nextn_predict_layers = {nextn})"),
                (KernelRole.Mtp, false) => "marked as MTP (one extra layer per step, as DeepSeek-V3's single MTP layer; no config says num_nextn_predict_layers)",
                (_, true) => string.Create(Inv, $"marked as draft (speculative decoding) blocks, since the config allows only {nextn} MTP layer(s) per step"),
                _ => "marked as draft (speculative decoding) blocks: several extra layers per step and no config num_nextn_predict_layers",
            };
            _warnings.Add(new(WarningCatalog.ExtraAnchors, string.Create(Inv,
                $"{g.Key.Count} anchor block(s) at the end of {g.Count()} pass(es) ({passList}) exceed {numLayers} layers x {bpl} block(s); {why}; they are not counted as layers and do not shift the following passes.")));
        }

        // ---- layer ranges: marked ends first
        foreach (var p in plans)
        {
            if (role == AnchorRole.Opens)
            {
                p.LayerStart = a[p.FirstAnchor];
                p.LayerEnd = -1; // matched later
            }
            else
            {
                p.LayerStart = -1;
                p.LayerEnd = a[p.LastAnchor] + 1;
            }
        }

        // Inter-pass regions: split gap positions (limits for the unmarked end).
        var splitLimit = new int[plans.Count + 1];
        for (var i = 1; i < plans.Count; i++)
        {
            var prevEndAnchor = plans[i - 1].ExtraCount > 0 ? plans[i - 1].ExtraAfter + plans[i - 1].ExtraCount - 1 : plans[i - 1].LastAnchor;
            var from = a[prevEndAnchor] + 1;
            var to = a[plans[i].FirstAnchor];
            splitLimit[i] = StepSplit(from, to);
        }
        // threshold for the start/end of the trace
        long threshold;
        var boundary = new List<long>();
        for (var i = 1; i < plans.Count; i++) boundary.Add(_gap[splitLimit[i]]);
        long inLayerMax = 0;
        var splitSet = new HashSet<int>(splitLimit.Skip(1).Take(Math.Max(0, plans.Count - 1)));
        for (var j = a[0] + 1; j <= a[^1]; j++)
        {
            if (_gap[j] > inLayerMax && !splitSet.Contains(j)) inLayerMax = _gap[j];
        }
        threshold = boundary.Count > 0 ? boundary.Min() : 0;
        if (threshold <= inLayerMax) threshold = Math.Max(10 * inLayerMax, OnePassMinGapNs);
        if (plans.Count > 1 && boundary.Count > 0 && boundary.Min() > inLayerMax) threshold = boundary.Min();

        var traceStartLimit = 0;
        for (var j = a[0]; j >= 1; j--)
        {
            if (_gap[j] >= threshold) { traceStartLimit = j; break; }
        }
        var lastAnchor = a[^1];
        var traceEndLimit = _n;
        for (var j = lastAnchor + 1; j < _n; j++)
        {
            if (_gap[j] >= threshold) { traceEndLimit = j; break; }
        }

        // ---- unmarked ends by category matching
        for (var i = 0; i < plans.Count; i++)
        {
            var p = plans[i];
            if (role == AnchorRole.Opens)
            {
                var k = p.LastAnchor;
                int limit;
                if (p.ExtraCount > 0) limit = a[p.ExtraAfter];
                else if (i + 1 < plans.Count) limit = splitLimit[i + 1];
                else limit = traceEndLimit;
                limit = Math.Max(limit, a[k] + 1);
                var refBlock = k - bpl >= p.FirstAnchor ? k - bpl : (k - bpl >= 0 ? k - bpl : -1);
                int end;
                if (refBlock >= 0)
                {
                    var refLen = a[refBlock + 1] - a[refBlock];
                    var m = 1;
                    while (m < refLen && a[k] + m < limit && Rule(a[k] + m) == Rule(a[refBlock] + m)) m++;
                    end = a[k] + m;
                }
                else end = limit;
                p.LayerEnd = end;
            }
            else
            {
                var k = p.FirstAnchor;
                var limit = i == 0 ? traceStartLimit : splitLimit[i];
                if (i > 0 && plans[i - 1].ExtraCount == 0) limit = Math.Max(limit, a[plans[i - 1].LastAnchor] + 1);
                limit = Math.Min(limit, a[k]);
                var refBlock = k + bpl <= p.LastAnchor ? k + bpl : (k + bpl < a.Length ? k + bpl : -1);
                int start;
                if (refBlock >= 1)
                {
                    var refLen = a[refBlock] - a[refBlock - 1];
                    var m = 1;
                    while (m < refLen && a[k] - m >= limit && Rule(a[k] - m) == Rule(a[refBlock] - m)) m++;
                    start = a[k] - m + 1;
                }
                else start = limit;
                p.LayerStart = start;
            }
        }

        // ---- layer starts at the input norm (one block per layer; two-block halves keep their anchor cut)
        if (bpl == 1) PlaceLayers(plans, a, role, splitLimit, traceStartLimit, traceEndLimit);

        // ---- prologue / epilogue ranges
        for (var i = 0; i < plans.Count; i++)
        {
            var p = plans[i];
            p.RangeStart = i == 0 ? Math.Min(traceStartLimit, p.LayerStart) : p.RangeStart;
            int regionStart = p.LayerEnd;
            if (p.ExtraCount > 0)
            {
                // extra anchors: their blocks and everything to the split belong to this pass
                var limit = i + 1 < plans.Count ? Math.Max(splitLimit[i + 1], a[p.ExtraAfter + p.ExtraCount - 1] + 1) : traceEndLimit;
                if (p.Starts is not null) ExtraLayers(p, plans, a, role, limit);
                else ExtraBlocks(p, a, bpl, role, limit);
                if (p.ExtraRole is KernelRole.Mtp or KernelRole.Draft)
                {
                    p.MtpStart = p.ExtraFrom[0];
                    p.MtpEnd = p.ExtraTo[^1];
                }
                regionStart = Math.Max(regionStart, p.ExtraTo[^1]);
            }
            if (i + 1 < plans.Count)
            {
                var next = plans[i + 1];
                var regionEnd = next.LayerStart;
                int split;
                if (regionEnd <= regionStart) split = regionStart;
                else
                {
                    split = StepSplit(regionStart, regionEnd);
                }
                if (split > regionEnd) split = regionEnd;
                p.RangeEnd = split;
                next.RangeStart = split;
            }
            else
            {
                var end = traceEndLimit;
                for (var j = regionStart; j < _n; j++)
                {
                    if (_gap[j] >= threshold && j > p.LayerEnd - 1) { end = j; break; }
                }
                p.RangeEnd = Math.Max(Math.Min(end, _n), p.LayerEnd);
                if (p.MtpEnd > p.RangeEnd) p.RangeEnd = p.MtpEnd;
            }
        }

        // ---- assign kernels
        var ratios = CompressRatios.Normalize(config, numLayers);
        if (ratios.Warning is not null) _warnings.Add(new(WarningCatalog.CompressRatiosMismatch, ratios.Warning));
        var passes = new List<PassSummary>();
        var layerRows = new List<LayerSummary>();
        var layer0Walls = new List<double?>();
        for (var pi = 0; pi < plans.Count; pi++)
        {
            var p = plans[pi];
            for (var j = p.RangeStart; j < p.RangeEnd; j++)
            {
                _pass[j] = pi;
                _role[j] = j < p.LayerStart ? KernelRole.Prologue : KernelRole.Epilogue;
            }
            if (p.MtpStart >= 0)
            {
                for (var e = 0; e < p.ExtraCount; e++)
                {
                    // A block cut at its input norm (ExtraLayers) owns what follows it up to the next block, the last one up to
                    // the pass's end: its own final norm, lm_head and sampling.
                    var to = p.Starts is not null && e == p.ExtraCount - 1 ? p.RangeEnd : Math.Min(p.ExtraTo[e], p.RangeEnd);
                    for (var j = p.ExtraFrom[e]; j < to; j++)
                    {
                        _pass[j] = pi;
                        _role[j] = p.ExtraRole;
                        _block[j] = numLayers * bpl + e;
                        _half[j] = (sbyte)(e % bpl);
                    }
                }
            }
            var blocks = p.LastAnchor - p.FirstAnchor + 1;
            var layerStarts = new SortedDictionary<int, (int From, int To)>();
            for (var b = 0; b < blocks; b++)
            {
                var k = p.FirstAnchor + b;
                int from, to;
                if (p.Starts is not null)
                {
                    from = p.Starts[b];
                    to = b == blocks - 1 ? p.LayerEnd : p.Starts[b + 1];
                }
                else if (role == AnchorRole.Opens)
                {
                    from = a[k];
                    to = b == blocks - 1 ? p.LayerEnd : a[k + 1];
                }
                else
                {
                    from = b == 0 ? p.LayerStart : a[k - 1] + 1;
                    to = a[k] + 1;
                }
                var blockInPass = p.BlockOffset + b;
                var layerIdx = blockInPass / bpl;
                var halfIdx = (sbyte)(blockInPass % bpl);
                for (var j = from; j < to; j++)
                {
                    _pass[j] = pi;
                    _layer[j] = layerIdx;
                    _block[j] = blockInPass;
                    _half[j] = halfIdx;
                    _role[j] = KernelRole.Layer;
                }
                layerStarts[layerIdx] = layerStarts.TryGetValue(layerIdx, out var r) ? (Math.Min(r.From, from), Math.Max(r.To, to)) : (from, to);
            }
            if (pi == 0 && p.IsPartial && p.BlockOffset >= bpl && LeadingLayerTail(p, plans) is var tail and > 0)
            {
                // The trace starts inside the layer before the first anchor: what precedes the first layer ends that layer.
                var li = p.BlockOffset / bpl - 1;
                for (var j = p.LayerStart - tail; j < p.LayerStart; j++)
                {
                    _layer[j] = li;
                    _role[j] = KernelRole.Layer;
                }
                layerStarts[li] = (p.LayerStart - tail, p.LayerStart);
            }
            if (pi == plans.Count - 1 && p.IsPartial && p.BlockOffset == 0 && TrailingLayerHead(p, plans) is var head and > 0)
            {
                // The trace ends inside the layer after the last anchor: what follows the last layer begins that layer.
                var li = p.BlockOffset + blocks;
                for (var j = p.LayerEnd; j < p.LayerEnd + head; j++)
                {
                    _layer[j] = li;
                    _role[j] = KernelRole.Layer;
                }
                layerStarts[li] = (p.LayerEnd, p.LayerEnd + head);
            }
            var backward = MarkBackward(p.RangeStart, p.RangeEnd);
            double? layer0 = null;
            var moeLayers = new Dictionary<int, bool>();
            foreach (var (li, (from, to)) in layerStarts)
            {
                var has = false;
                for (var j = from; j < to && !has; j++) has = _moeName[_k.NameId[j]];
                moeLayers[li] = has;
            }
            // docs/messy-traces.md B33: a layer with MoE kernels is MOE, the others of a model that has some are DENSE; a pass without any
            // MoE kernel says nothing (unless the config has experts).
            var kernelsTell = moeLayers.Values.Any(v => v) || config?.NumRoutedExperts is > 0;
            foreach (var (li, (from, to)) in layerStarts)
            {
                var t = backward ? RangeStats.Compute(_k, from, to, IsComm, j => _role[j] == KernelRole.Layer && _layer[j] == li)
                                 : RangeStats.Compute(_k, from, to, IsComm);
                var (label, ratio) = LayerTyper.Label(li, numLayers, config, ratios.Ratios, kernelsTell ? moeLayers[li] : null);
                layerRows.Add(new LayerSummary(pi, li, label, ratio, KernelTotals.From(t), t.CommCount));
                if (li == 0) layer0 = Us(t.WallNs);
            }
            layer0Walls.Add(layer0);
            var pt = RangeStats.Compute(_k, p.RangeStart, p.RangeEnd, IsComm);
            passes.Add(new PassSummary(pi, KernelTotals.From(pt), layerStarts.Count, p.IsPartial, null, null));
        }
        var notes = PassNotes.Compute(passes, layer0Walls);
        for (var i = 0; i < passes.Count; i++) passes[i] = passes[i] with { Note = notes[i] };

        return new SegmentationResult
        {
            PassIdx = _pass, LayerIdx = _layer, BlockIdx = _block, HalfIdx = _half, Role = _role,
            Passes = passes, Layers = layerRows, Anchor = anchor, NumLayers = numLayers, NumLayersSource = numSource,
            Candidates = candidates, Warnings = _warnings, HalfLabels = halfLabels,
            Evidence = _evidence, EvidenceDetail = _evidenceDetail,
            Parts = PassParts.Build(_k, _pass, _layer, _role),
        };
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>
    /// Steps that run back to back (no idle gap stands out between them) are told apart by their once-per-step kernel
    /// (the embedding of the prologue, see <see cref="LayerCountDetector.OncePerStep"/>): the anchor right after each of
    /// its occurrences scores as a step gap would.
    /// </summary>
    private void StepKernelBoundaries(long[] score, int[] a, int bpl)
    {
        if (score.Length == 0 || score.Max() >= _stepGapNs) return;
        if (LayerCountDetector.OncePerStep(_k, a, bpl, [_k.NameId[a[0]]]) is not { } step) return;
        for (var i = 0; i < _n; i++)
        {
            if (_k.NameId[i] != step.NameId) continue;
            var pos = Array.BinarySearch(a, i);
            var s = pos >= 0 ? pos : ~pos;
            if (s < score.Length) score[s] = Math.Max(score[s], _stepGapNs);
        }
    }

    /// <summary>
    /// The trace start opens a step like an idle gap does when the anchors before the first idle gap that stands out
    /// (at least 10x the median boundary score and 20 us) make at least one whole pass: each step is then aligned on its
    /// own start, and anchors in excess at its end (MTP, draft blocks) end that step's pass. Without this, a pass
    /// shifted by one anchor (its first layer left as a one-block partial pass) scored the same on such traces.
    /// </summary>
    private static void TraceStartAsStepBoundary(long[] score, int perPass)
    {
        if (score.Length <= perPass) return;
        var standout = Math.Max(10 * UpperMedian.Of((long[])score.Clone()), 20_000L);
        var first = Array.FindIndex(score, 1, x => x >= standout);
        if (first < 0 || first >= perPass) score[0] = Math.Max(score[0], score.Max());
    }

    /// <summary>The extra-anchor count shared by the passes that are followed by another pass (0 when none or not all equal).</summary>
    /// <summary>
    /// The name id of the trace's attention kernel when the trace holds one-layer passes: the first kernel of the
    /// attention group whose name occurs at most as often as any other attention kernel name, provided no attention
    /// name occurs twice between two occurrences of it. Null when the trace has no attention kernel.
    /// </summary>
    private int? SingleLayerAnchor(KernelCategorizer categorizer)
    {
        var counts = new Dictionary<int, int>();
        for (var i = 0; i < _n; i++)
        {
            var id = _k.NameId[i];
            if (categorizer.Categorize(_k.Names[id]).Group == "attention") counts[id] = counts.GetValueOrDefault(id) + 1;
        }
        if (counts.Count == 0) return null;
        var min = counts.Values.Min();
        for (var i = 0; i < _n; i++)
            if (counts.TryGetValue(_k.NameId[i], out var c) && c == min) return _k.NameId[i];
        return null;
    }

    private static int TypicalInnerExtra(List<int> starts, int perPass)
    {
        if (starts.Count < 2) return 0;
        var extras = new HashSet<int>();
        for (var i = 0; i + 1 < starts.Count; i++) extras.Add(starts[i + 1] - (starts[i] + perPass));
        return extras.Count == 1 ? extras.First() : 0;
    }

    /// <summary>
    /// Kernel ranges of a pass's extra anchor blocks (MTP / draft): each is cut at its anchor like any other block;
    /// the unmarked end of the outermost one is matched by categories against the same half of the pass's
    /// second-to-last layer, never past <paramref name="limit"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once over every kernel: no tier-0 warm-up
    private void ExtraBlocks(PassPlan p, int[] a, int bpl, AnchorRole role, int limit)
    {
        var n = p.ExtraCount;
        p.ExtraFrom = new int[n];
        p.ExtraTo = new int[n];
        for (var e = 0; e < n; e++)
        {
            var k = p.ExtraAfter + e;
            var refBlock = p.LastAnchor - 2 * bpl + 1 + (e % bpl);
            if (refBlock < p.FirstAnchor) refBlock = p.FirstAnchor + (e % bpl);
            if (role == AnchorRole.Opens)
            {
                p.ExtraFrom[e] = a[k];
                if (e + 1 < n) { p.ExtraTo[e] = a[k + 1]; continue; }
                var end = Math.Max(limit, a[k] + 1);
                if (refBlock + 1 < a.Length && refBlock + 1 <= p.LastAnchor)
                {
                    var refLen = a[refBlock + 1] - a[refBlock];
                    var m = 1;
                    while (m < refLen && a[k] + m < end && Rule(a[k] + m) == Rule(a[refBlock] + m)) m++;
                    end = a[k] + m;
                }
                p.ExtraTo[e] = end;
            }
            else
            {
                p.ExtraTo[e] = a[k] + 1;
                if (e > 0) { p.ExtraFrom[e] = a[k - 1] + 1; continue; }
                var floor = a[k - 1] + 1;
                var start = floor;
                if (refBlock >= 1 && refBlock > p.FirstAnchor)
                {
                    var refLen = a[refBlock] - a[refBlock - 1];
                    var m = 1;
                    while (m < refLen && a[k] - m >= floor && Rule(a[k] - m) == Rule(a[refBlock] - m)) m++;
                    start = a[k] - m + 1;
                }
                p.ExtraFrom[e] = start;
            }
        }
    }
    private SegmentationResult NoPasses(AnchorChoice anchor, int numLayers, string numSource, IReadOnlyList<AnchorCandidate> candidates,
        IReadOnlyList<string> halfLabels, WarningKind kind, string detail)
    {
        _warnings.Add(new(kind, detail));
        return new SegmentationResult
        {
            PassIdx = _pass, LayerIdx = _layer, BlockIdx = _block, HalfIdx = _half, Role = _role,
            Passes = [], Layers = [], Anchor = anchor, NumLayers = numLayers, NumLayersSource = numSource,
            Candidates = candidates, Warnings = _warnings, HalfLabels = halfLabels,
            Evidence = LayerEvidence.None, EvidenceDetail = detail,
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once over every kernel: no tier-0 warm-up
    private int[] MatchAnchors(string pattern, HashSet<int> nameIds)
    {
        for (var id = 0; id < _k.Names.Count; id++)
            if (_k.Names[id].Contains(pattern, StringComparison.OrdinalIgnoreCase)) nameIds.Add(id);
        var list = new List<int>();
        for (var i = 0; i < _n; i++) if (nameIds.Contains(_k.NameId[i])) list.Add(i);
        return list.ToArray();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once over every kernel: no tier-0 warm-up
    private int[] PositionsOf(int nameId)
    {
        var list = new List<int>();
        for (var i = 0; i < _n; i++) if (_k.NameId[i] == nameId) list.Add(i);
        return list.ToArray();
    }

    private static string Describe(AnchorRole role) => role == AnchorRole.Opens ? "opens its block" : "closes its block";

    private static double Us(long ns) => ns / 1000.0;

    private static int[] Filled(int n, int value)
    {
        var arr = new int[n];
        Array.Fill(arr, value);
        return arr;
    }
}
