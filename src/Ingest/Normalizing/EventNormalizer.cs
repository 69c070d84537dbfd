using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using LlmPipeline.Analysis.Warnings;
using LlmPipeline.Ingest.Ranks;
using LlmPipeline.Ingest.Reading;
using LlmPipeline.Ingest.Storage;

namespace LlmPipeline.Ingest.Normalizing;

/// <summary>
/// Maps trace events to LlmPipeline's tables as the trace streams by: GPU kernels are collected per device in compact
/// columns (they are sorted and segmented once the trace is read); memcpy/memset, annotations, runtime launches and
/// the CPU operators that kernels link to (External id) go straight to the staging database, so memory does not grow
/// with the CPU events. Events that cannot be used are set aside and counted, never stored as kernels.
/// </summary>
/// <remarks>
/// Device of a kernel or memory operation: <c>args.device</c>, else the <c>GPU N</c> that a <c>process_labels</c>
/// (else <c>process_name</c>) metadata event gives its <c>pid</c> (roctracer pids are offset, kineto #925; the
/// metadata events may come after the kernels, so the mapping is applied in <see cref="Complete"/>), else the numeric
/// <c>pid</c>, else 0. Stream (64-bit: raw HIP stream handles differ only above bit 32, kineto #1424):
/// <c>args.stream</c>, else <c>args["sycl queue"]</c> (Intel XPU), else a numeric <c>tid</c> or a <c>"stream N"</c>
/// tid (docs/messy-traces.md, B29). Set aside: kernels with no <c>ts</c>, no or negative <c>dur</c>, <c>ts 0 dur 0</c>
/// (kineto #109, docs/messy-traces.md, B16), and, in <see cref="Complete"/>, kernels far outside the bulk of the trace
/// (see <see cref="FarOutsideNs"/>); a zero-duration kernel with a real <c>ts</c> is kept. Merged-trace rank labels (<c>[TP01-DP00-PP00-EP00] </c>) are stripped from names before
/// anything else sees them (B24); <c>B</c>/<c>E</c> pairs are matched per thread (B18). Call <see cref="Complete"/>
/// once the whole trace has been read: it pairs <c>B</c>/<c>E</c>, drops exact duplicate events (B24; launches only when
/// <see cref="LaunchLedger"/> says they may repeat), checks launch
/// coverage (B11) and sets aside a non-kernel event whose <c>dur</c> would stretch the trace. One normalizer holds one
/// rank: a merged multi-rank file is split by its rank labels before it reaches a normalizer (<c>RankRouter</c>).
/// </remarks>
public sealed class EventNormalizer : ITraceEventSink, IDisposable
{
    private static readonly byte[] ProfilerStepPrefix = "ProfilerStep#"u8.ToArray();
    private static readonly byte[] ModulePrefix = "nn.Module: "u8.ToArray();
    private static readonly byte[] StreamPrefix = "stream "u8.ToArray();

    /// <summary>Kernels further than this (1 h, in ns) before the first or after the last CPU event are set aside (B16).</summary>
    public const long FarOutsideNs = 3_600_000_000_000L;


    private readonly Dictionary<int, DeviceKernels> _devices = [];
    private readonly Dictionary<long, DeviceKernels> _pidKernels = [];
    private readonly ProcessDeviceLabels _processDevices = new();
    private readonly BulkInsert _annotations;
    private readonly BulkInsert _launches;
    private readonly BulkInsert _memoryOps;
    private readonly BulkInsert _cpuOps;
    private readonly StagingDatabase _staging;
    private readonly BeginEndPairer _beginEnd = new();
    private readonly LaunchLedger _launchLedger = new();
    private readonly Dictionary<string, int> _prefixes = new(StringComparer.Ordinal);
    private readonly List<long> _setAsideCorrelations = [];
    private readonly ZeroCorrelationKernels _zeroIdKernels = new();
    private long _zeroExternalIds;
    private long _zeroExternalIdOffset;
    private long _minTsNs = long.MaxValue;
    private long _maxEndNs = long.MinValue;
    private long _secondEndNs = long.MinValue;
    private long _maxEndOffset;
    private long _cpuMinTsNs = long.MaxValue;
    private long _cpuMaxEndNs = long.MinValue;
    private int _origin = -1;
    private bool _completed;

    /// <summary>Creates a normalizer writing into <paramref name="staging"/>.</summary>
    public EventNormalizer(StagingDatabase staging)
    {
        _staging = staging;
        _annotations = staging.Insert("annotations", "run_id", "cat", "name", "ts_ns", "dur_ns", "pid", "tid", "external_id");
        _launches = staging.Insert("launches", "run_id", "correlation", "name", "ts_ns", "dur_ns", "tid", "external_id");
        _memoryOps = staging.Insert("memory_ops", "run_id", "device", "stream", "ts_ns", "dur_ns", "kind", "name", "bytes");
        _cpuOps = staging.InsertOrIgnore("cpu_ops", "external_id", "name_id", "dims_id");
        foreach (var insert in new[] { _annotations, _launches, _memoryOps }) insert.Set(0, 0L);
    }

    /// <summary>Distinct kernel names (run-local name ids).</summary>
    public Utf8Interner KernelNames { get; } = new();

    /// <summary>Distinct grid/block texts.</summary>
    public Utf8Interner SmallTexts { get; } = new();

    /// <summary>Distinct names of CPU operators with an External id (staging <c>cpu_ops.name_id</c>).</summary>
    public Utf8Interner OpNames { get; } = new();

    /// <summary>Distinct <c>Input Dims</c> texts of those operators, each followed by <see cref="DimsTypesSeparator"/> and the op's <c>Input type</c> text when it has one (staging <c>cpu_ops.dims_id</c>).</summary>
    public Utf8Interner OpDims { get; } = new();

    /// <summary>Kernels per device, by device id (final once <see cref="Complete"/> has placed the kernels without <c>args.device</c>).</summary>
    public IReadOnlyDictionary<int, DeviceKernels> Devices => _devices;

    /// <summary>Top-level metadata.</summary>
    public TraceMetadata Metadata { get; } = new();

    /// <summary>Repairs and set-aside events.</summary>
    public WarningLog Warnings { get; } = new();

    /// <summary>Runtime graph launches (<c>cudaGraphLaunch</c>, <c>hipGraphLaunch</c>) with a correlation id stored.</summary>
    public long GraphLaunchCount => _launchLedger.GraphLaunches;

    /// <summary>The launch and stream-capture counts (<see cref="LaunchLedger"/>), for telling a graph-capture trace from a run.</summary>
    public LaunchLedger Launches => _launchLedger;

    /// <summary>
    /// The <c>nn.Module: X_n</c> scopes of a trace recorded <c>with_modules</c> (python_function events), keyed by tid as
    /// <see cref="ThreadKey"/> writes it; empty for most traces.
    /// </summary>
    public Segmenting.ModuleScopes ModuleScopes { get; } = new();

    /// <summary>The thread key of a tid as the <c>launches.tid</c> column holds it (number, else text).</summary>
    public static string ThreadKey(long? tid, ReadOnlySpan<byte> tidText) =>
        tid is long t ? t.ToString(System.Globalization.CultureInfo.InvariantCulture) : Text(tidText);

    /// <summary>Kernel launches (graph launches included) with a correlation id stored.</summary>
    public long KernelLaunchCount => _launchLedger.AllLaunches;

    /// <summary>Trace events received.</summary>
    public long EventCount { get; private set; }

    /// <summary>Annotation names seen (user and GPU annotations), for framework inference; at most 256 kept.</summary>
    public List<string> AnnotationSamples { get; } = [];

    /// <summary>Earliest <c>ts</c> of any usable non-kernel event (metadata <c>M</c> events excluded), ns; null when none.</summary>
    public long? NonKernelMinTsNs => _minTsNs == long.MaxValue ? null : _minTsNs;

    /// <summary>Latest end (<c>ts + dur</c>) of any usable non-kernel event, ns; null when none.</summary>
    public long? NonKernelMaxEndNs => _maxEndNs == long.MinValue ? null : _maxEndNs;

    /// <inheritdoc />
    public void OnMetadata(string key, JsonElement value) => Metadata.Add(key, value);

    /// <inheritdoc />
    public void OnWarning(WarningKind kind, long byteOffset, string detail) => Warnings.Add(kind, byteOffset, detail);

    /// <inheritdoc />
    public void OnEvent(ref TraceEvent e)
    {
        EventCount++;
        StripRankPrefix(ref e);
        if (e.HasTs && e.TsNs < 0 && e.Ph != (byte)'M')
            Warnings.Add(WarningCatalog.NegativeTs, e.ByteOffset, $"event with a negative ts kept ({NameOf(e.Name)}): timestamps relative to baseTimeNanoseconds can precede the base (kineto #910)");
        if (e.Ph == (byte)'M') _processDevices.Note(ref e);
        if (e.Ph is (byte)'B' or (byte)'E')
        {
            AddBeginEnd(ref e);
            return;
        }
        if (e.Ph == (byte)'X' && !e.HasDur && e.Category != EventCategory.Kernel)
            Warnings.Add(WarningCatalog.EventWithoutDur, e.ByteOffset, $"X event without dur kept with dur NULL, excluded from duration math ({NameOf(e.Name)})");
        switch (e.Category)
        {
            case EventCategory.Kernel:
                AddKernel(ref e);
                return;
            case EventCategory.GpuMemcpy:
            case EventCategory.GpuMemset:
                if (Usable(ref e, MemoryOpEvents)) AddMemoryOp(ref e);
                return;
            case EventCategory.CudaRuntime:
            case EventCategory.CudaDriver:
                if (Usable(ref e, LaunchEvents)) AddLaunch(ref e);
                return;
            case EventCategory.UserAnnotation:
            case EventCategory.GpuUserAnnotation:
                if (Usable(ref e, AnnotationEvents)) AddAnnotation(ref e);
                return;
            case EventCategory.CpuOp:
                if (e.Name.StartsWith(ProfilerStepPrefix))
                {
                    if (Usable(ref e, AnnotationEvents)) AddAnnotation(ref e);
                }
                else
                {
                    TrackTime(ref e);
                }
                if (e.ExternalId is long ext) AddCpuOp(ext, ref e);
                return;
            default:
                if (e.Name.StartsWith(ProfilerStepPrefix) && Usable(ref e, AnnotationEvents)) AddAnnotation(ref e);
                else TrackTime(ref e);
                if (e.Category == EventCategory.PythonFunction && e.HasTs && e.HasDur && e.Name.StartsWith(ModulePrefix))
                    ModuleScopes.Add(new Segmenting.ModuleScopes.Scope(ThreadKey(e.Tid, e.TidText), e.TsNs, e.TsNs + e.DurNs,
                        Text(e.Name[ModulePrefix.Length..]), true));
                return;
        }
    }

    private void TrackTime(ref TraceEvent e)
    {
        if (!e.HasTs || e.Ph == (byte)'M') return;
        if (e.TsNs < _minTsNs) _minTsNs = e.TsNs;
        var end = e.HasDur && e.DurNs > 0 ? e.TsNs + e.DurNs : e.TsNs;
        if (e.Category is not (EventCategory.GpuMemcpy or EventCategory.GpuMemset or EventCategory.GpuUserAnnotation))
        {
            if (e.TsNs < _cpuMinTsNs) _cpuMinTsNs = e.TsNs;
            if (end > _cpuMaxEndNs) _cpuMaxEndNs = end;
        }
        if (end > _maxEndNs)
        {
            _secondEndNs = _maxEndNs;
            _maxEndNs = end;
            _maxEndOffset = e.ByteOffset;
        }
        else if (end > _secondEndNs)
        {
            _secondEndNs = end;
        }
    }

    private void StripRankPrefix(ref TraceEvent e)
    {
        _origin = -1;
        var length = RankPrefix.Length(e.Name);
        if (length == 0) return;
        var prefix = Text(e.Name[..length]).TrimEnd();
        if (!_prefixes.TryGetValue(prefix, out _origin)) _prefixes[prefix] = _origin = _prefixes.Count;
        Warnings.Add(WarningCatalog.RankPrefixStripped, e.ByteOffset,
            $"merged-trace rank label '{prefix}' stripped from event names before classification (sglang #11413)");
        e.Name = e.Name[length..];
    }

    private void AddBeginEnd(ref TraceEvent e)
    {
        if (!e.HasTs)
        {
            Warnings.Add(WarningCatalog.EventWithoutTs, e.ByteOffset, $"a {(char)e.Ph} event without ts was set aside ({NameOf(e.Name)})");
            return;
        }
        TrackTime(ref e);
        var thread = IdText(e.Pid, e.PidText) + "/" + IdText(e.Tid, e.TidText);
        var isAnnotation = e.Category is EventCategory.UserAnnotation or EventCategory.GpuUserAnnotation || e.Name.StartsWith(ProfilerStepPrefix);
        object? payload = e.Ph == (byte)'B' && isAnnotation
            ? new BeginPayload(Text(e.Cat), Text(e.Name), IdText(e.Pid, e.PidText), IdText(e.Tid, e.TidText), e.ExternalId)
            : null;
        _beginEnd.Add(new BeginEndPairer.Item(thread, e.TsNs, e.Ph == (byte)'B', e.ByteOffset, payload));
        if (e.Category == EventCategory.CpuOp && e.Ph == (byte)'B' && e.ExternalId is long ext) AddCpuOp(ext, ref e);
    }

    private sealed record BeginPayload(string Cat, string Name, string? Pid, string? Tid, long? ExternalId);

    /// <summary>A family of non-kernel events: its name in warning details and its two set-aside kinds.</summary>
    private static readonly (string What, WarningKind WithoutTs, WarningKind NegativeDur)
        MemoryOpEvents = ("memory_op", WarningCatalog.MemoryOpWithoutTs, WarningCatalog.MemoryOpNegativeDur),
        LaunchEvents = ("launch", WarningCatalog.LaunchWithoutTs, WarningCatalog.LaunchNegativeDur),
        AnnotationEvents = ("annotation", WarningCatalog.AnnotationWithoutTs, WarningCatalog.AnnotationNegativeDur);

    /// <summary>Whether a non-kernel event of <paramref name="family"/> has a usable ts and dur; else it is set aside
    /// and counted as the family's <c>*_without_ts</c> or <c>*_negative_dur</c> kind.</summary>
    private bool Usable(ref TraceEvent e, (string What, WarningKind WithoutTs, WarningKind NegativeDur) family)
    {
        var (what, withoutTs, negativeDur) = family;
        if (!e.HasTs)
        {
            Warnings.Add(withoutTs, e.ByteOffset, $"a {what} event without ts was set aside ({NameOf(e.Name)})");
            return false;
        }
        if (e.HasDur && e.DurNs < 0)
        {
            Warnings.Add(negativeDur, e.ByteOffset, $"a {what} event with negative dur was set aside ({NameOf(e.Name)})");
            return false;
        }
        TrackTime(ref e);
        return true;
    }

    private void AddKernel(ref TraceEvent e)
    {
        if (!e.HasTs)
        {
            Warnings.Add(WarningCatalog.KernelWithoutTs, e.ByteOffset, $"kernel without ts set aside: {Text(e.Name)}");
            return;
        }
        if (!e.HasDur)
        {
            Warnings.Add(WarningCatalog.KernelWithoutDur, e.ByteOffset, $"kernel without dur set aside: {Text(e.Name)}");
            return;
        }
        if (e.DurNs < 0)
        {
            Warnings.Add(WarningCatalog.KernelNegativeDur, e.ByteOffset, $"kernel with negative dur set aside: {Text(e.Name)}");
            return;
        }
        if (e.TsNs == 0 && e.DurNs == 0)
        {
            Warnings.Add(WarningCatalog.KernelZeroTs, e.ByteOffset, $"kernel with ts 0 and dur 0 set aside (kineto #109): {Text(e.Name)}");
            if (e.Correlation is long c) _setAsideCorrelations.Add(c);
            return;
        }
        DeviceKernels? kernels;
        if (e.Device is not null || e.Pid is not long pid)
        {
            var device = (int)(e.Device ?? 0);
            if (!_devices.TryGetValue(device, out kernels))
                _devices[device] = kernels = new DeviceKernels(device);
        }
        else if (!_pidKernels.TryGetValue(pid, out kernels))
        {
            _pidKernels[pid] = kernels = new DeviceKernels((int)pid);
        }
        kernels.TsNs.Add(e.TsNs);
        kernels.DurNs.Add(e.DurNs);
        kernels.NameId.Add(KernelNames.GetOrAdd(e.Name));
        kernels.Stream.Add(StreamOf(ref e) ?? -1);
        // Correlation 0 and External id 0 mean "unknown" (ROCm/roctracer#100: RCCL kernels): never a join key.
        if (e.Correlation == 0) _zeroIdKernels.Note(e.Name, e.ByteOffset);
        if (e.ExternalId == 0 && e.Correlation != 0 && _zeroExternalIds++ == 0) _zeroExternalIdOffset = e.ByteOffset; // correlation 0 already says it
        kernels.Correlation.Add(e.Correlation is long corr && corr != 0 ? corr : long.MinValue);
        kernels.ExternalId.Add(e.ExternalId is long ext && ext != 0 ? ext : long.MinValue);
        kernels.GridId.Add(e.Grid.IsEmpty ? -1 : SmallTexts.GetOrAdd(e.Grid));
        kernels.BlockId.Add(e.Block.IsEmpty ? -1 : SmallTexts.GetOrAdd(e.Block));
        kernels.Origin.Add(_origin);
        kernels.ByteOffset.Add(e.ByteOffset);
    }

    /// <summary>
    /// The stream of a GPU event, as a 64-bit id: <c>args.stream</c>, else <c>args["sycl queue"]</c> (Intel XPU), else
    /// a numeric <c>tid</c>, a <c>"stream N"</c> tid or a hex <c>"0x…"</c> tid (raw HIP stream handles); null when none.
    /// </summary>
    private static long? StreamOf(ref TraceEvent e)
    {
        if (e.Stream is long stream) return stream;
        if (e.SyclQueue is long queue) return queue;
        if (e.Tid is long tid) return tid;
        var text = e.TidText;
        if (text.StartsWith(StreamPrefix)) text = text[StreamPrefix.Length..];
        if (text.Length > 2 && text[0] == (byte)'0' && (text[1] | 0x20) == (byte)'x')
            return Utf8Parser.TryParse(text[2..], out ulong h, out var hexUsed, 'X') && hexUsed == text.Length - 2 && h <= long.MaxValue ? (long)h : null;
        if (text.Length != e.TidText.Length && Utf8Parser.TryParse(text, out long n, out var used) && used == text.Length)
            return n;
        return null;
    }

    private void AddMemoryOp(ref TraceEvent e)
    {
        // A device taken from the pid is held as -1 - pid until Complete() knows the pid's process_labels.
        _memoryOps.Set(1, e.Device ?? (e.Pid is long pid && pid >= 0 ? -1 - pid : e.Pid));
        _memoryOps.Set(2, StreamOf(ref e));
        _memoryOps.Set(3, e.TsNs);
        _memoryOps.Set(4, e.HasDur ? e.DurNs : 0L);
        _memoryOps.Set(5, e.Category == EventCategory.GpuMemcpy ? "memcpy" : "memset");
        _memoryOps.SetUtf8(6, e.Name);
        _memoryOps.Set(7, e.Bytes);
        _memoryOps.Run();
    }

    private void AddLaunch(ref TraceEvent e)
    {
        _launches.Set(1, e.Correlation);
        _launches.SetUtf8(2, e.Name);
        _launches.Set(3, e.TsNs);
        _launches.Set(4, e.HasDur ? e.DurNs : null);
        SetId(_launches, 5, e.Tid, e.TidText);
        _launches.Set(6, e.ExternalId);
        _launches.Run();
        _launchLedger.Note(ref e);
    }

    private void AddAnnotation(ref TraceEvent e)
    {
        var name = Text(e.Name);
        if (AnnotationSamples.Count < 256 && !AnnotationSamples.Contains(name)) AnnotationSamples.Add(name);
        _annotations.SetUtf8(1, e.Cat);
        _annotations.Set(2, name);
        _annotations.Set(3, e.TsNs);
        _annotations.Set(4, e.HasDur ? e.DurNs : null);
        SetId(_annotations, 5, e.Pid, e.PidText);
        SetId(_annotations, 6, e.Tid, e.TidText);
        _annotations.Set(7, e.ExternalId);
        _annotations.Run();
    }

    private void AddCpuOp(long externalId, ref TraceEvent e)
    {
        // A decode trace repeats a few thousand (name, Input Dims) pairs: store their ids, the texts once in memory.
        _cpuOps.Set(0, externalId);
        _cpuOps.Set(1, (long)OpNames.GetOrAdd(e.Name));
        _cpuOps.Set(2, e.InputDims.IsEmpty ? (long?)null : OpDims.GetOrAdd(DimsAndTypes(e.InputDims, e.InputTypes)));
        _cpuOps.Run();
    }

    /// <summary>
    /// The interned key of an op's shapes: its Input Dims text, then <see cref="DimsTypesSeparator"/> and its Input type
    /// text when the op has one (LaunchContexts splits them into launch_contexts.input_dims and input_types).
    /// </summary>
    private ReadOnlySpan<byte> DimsAndTypes(ReadOnlySpan<byte> dims, ReadOnlySpan<byte> types)
    {
        if (types.IsEmpty) return dims;
        var need = dims.Length + 1 + types.Length;
        if (_dimsTypes.Length < need) _dimsTypes = new byte[Math.Max(need, _dimsTypes.Length * 2)];
        dims.CopyTo(_dimsTypes);
        _dimsTypes[dims.Length] = (byte)DimsTypesSeparator;
        types.CopyTo(_dimsTypes.AsSpan(dims.Length + 1));
        return _dimsTypes.AsSpan(0, need);
    }

    private byte[] _dimsTypes = new byte[256];

    /// <summary>Separates Input Dims from Input type in an <see cref="OpDims"/> text (ASCII unit separator, never in JSON text).</summary>
    public const char DimsTypesSeparator = '\u001F';

    /// <summary>Binds a pid/tid: the number (stored as text by the column's TEXT affinity), else its text, else NULL.</summary>
    private static void SetId(BulkInsert insert, int index, long? number, ReadOnlySpan<byte> text)
    {
        if (number is long n) insert.Set(index, n);
        else if (text.IsEmpty) insert.Set(index, (string?)null);
        else insert.SetUtf8(index, text);
    }

    private static string Text(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);

    /// <summary>An event's name for a warning, or "unnamed event" when it has none.</summary>
    private static string NameOf(ReadOnlySpan<byte> name) => name.IsEmpty ? "unnamed event" : Text(name);

    private static string? IdText(long? number, ReadOnlySpan<byte> text) =>
        number is long n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : text.IsEmpty ? null : Text(text);

    /// <summary>
    /// Finishes the trace once it has been read completely (before <see cref="Dispose"/>): stores paired
    /// <c>B</c>/<c>E</c> annotations and counts unfinished begins and stray ends (B18), drops exact duplicate kernels,
    /// annotations and memory operations (B24), adds the launch-coverage warning (B11), and sets aside the latest
    /// non-kernel end when it lies later than every other event by more than the span of all the others.
    /// Calling it again does nothing.
    /// </summary>
    /// <exception cref="Microsoft.Data.Sqlite.SqliteException">The staging database cannot be written.</exception>
    public void Complete()
    {
        if (_completed) return;
        _completed = true;
        PairBeginEnd();
        ResolveDevices();
        FarOutsideKernels.SetAside(_devices, _cpuMinTsNs, _cpuMaxEndNs, _setAsideCorrelations, Warnings);
        DropDuplicateKernels();
        DropDuplicateRows("annotations", "cat, name, ts_ns, dur_ns, pid, tid, external_id");
        DropDuplicateRows("memory_ops", "device, stream, ts_ns, dur_ns, kind, name, bytes");
        if (_launchLedger.MayHoldDuplicates) DropDuplicateRows("launches", "correlation, name, ts_ns, dur_ns, tid, external_id");
        var sorted = KernelCorrelations();
        _zeroIdKernels.Report(Warnings);
        // The SQL count and its warning only when some launch lacks a kernel.
        if (!_launchLedger.AllLaunchesHaveKernels(sorted)) LaunchCoverage.Check(_staging, sorted, Warnings, _zeroIdKernels);
        long filled = 0;
        if (_launchLedger.LaunchCorrelations.Count > 0)
        {
            var launchIndex = _launchLedger.LaunchIndex();
            filled = LaunchLinks.FillExternalIds(_devices.Values, _launchLedger, launchIndex, Warnings);
            LaunchLinks.CheckClock(_devices.Values, _launchLedger, launchIndex,
                _cpuMinTsNs == long.MaxValue ? null : (_cpuMinTsNs, _cpuMaxEndNs), Warnings);
        }
        if (_zeroExternalIds > 0 && filled == 0)
            Warnings.Add(WarningCatalog.KernelExternalIdZero, _zeroExternalIdOffset,
                $"{_zeroExternalIds} kernel(s) carry External id 0, which means unknown, and no launch gives them one: their op_name and input_dims are NULL " +
                "(the profiler recorded no CPU operators for them). To get ops and shapes, profile with CPU activities and record_shapes=True",
                _zeroExternalIds);
        _launchLedger.Release();
        SetAsideRunawayEnd();
        foreach (var d in _devices.Values)
        {
            // Their last readers (duplicate check, set-aside warnings) have run: 6 bytes per kernel (packed) freed before segmenting.
            d.Origin.Clear();
            d.ByteOffset.Clear();
        }
    }

    /// <summary>The correlation ids of every kernel event (kept or set aside), sorted ascending.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once over every kernel: no tier-0 warm-up
    private long[] KernelCorrelations()
    {
        var count = _setAsideCorrelations.Count;
        foreach (var d in _devices.Values)
            for (var i = 0; i < d.Count; i++)
                if (d.Correlation[i] != long.MinValue) count++;
        var sorted = new long[count];
        _setAsideCorrelations.CopyTo(sorted);
        var n = _setAsideCorrelations.Count;
        foreach (var d in _devices.Values)
            for (var i = 0; i < d.Count; i++)
                if (d.Correlation[i] != long.MinValue) sorted[n++] = d.Correlation[i];
        Array.Sort(sorted);
        return sorted;
    }

    /// <summary>
    /// Places the kernels and memory operations that had no <c>args.device</c>: on the <c>GPU N</c> of their pid's
    /// <c>process_labels</c> (else <c>process_name</c>) metadata, else on the pid itself (B29).
    /// </summary>
    private void ResolveDevices()
    {
        var byDevice = new Dictionary<int, List<DeviceKernels>>();
        foreach (var (pid, kernels) in _pidKernels)
        {
            var device = (int)pid;
            if (_processDevices.Of(pid) is { } label)
            {
                device = label.Device;
                if (device != pid)
                    Warnings.Add(WarningCatalog.DeviceFromProcessLabels, kernels.ByteOffset[0],
                        $"kernels without args.device on pid {pid} placed on device {device}, as its {label.Source} '{label.Text}' says (roctracer pids are offset, kineto #925)", kernels.Count);
            }
            if (!byDevice.TryGetValue(device, out var list)) byDevice[device] = list = [];
            list.Add(kernels);
        }
        foreach (var (device, parts) in byDevice)
        {
            if (_devices.TryGetValue(device, out var existing)) parts.Insert(0, existing);
            _devices[device] = parts.Count == 1 && parts[0].Device == device ? parts[0] : DeviceKernels.Concat(device, parts);
        }
        _pidKernels.Clear();

        using var cmd = _staging.Connection.CreateCommand();
        cmd.Transaction = _staging.Transaction;
        foreach (var pid in _processDevices.Pids)
        {
            if (_processDevices.Of(pid) is not { } label || label.Device == pid) continue;
            cmd.CommandText = $"UPDATE memory_ops SET device = {label.Device} WHERE device = {-1 - pid}";
            cmd.ExecuteNonQuery();
        }
        cmd.CommandText = "UPDATE memory_ops SET device = -1 - device WHERE device < 0";
        cmd.ExecuteNonQuery();
    }

    private void PairBeginEnd()
    {
        if (_beginEnd.Count == 0) return;
        var (spans, stray) = _beginEnd.Pair();
        foreach (var span in spans)
        {
            if (span.DurNs is null)
                Warnings.Add(WarningCatalog.UnfinishedBegin, span.Begin.ByteOffset, "a B event never closed by an E event; kept with dur NULL (unfinished)");
            if (span.Begin.Payload is not BeginPayload p) continue;
            if (AnnotationSamples.Count < 256 && !AnnotationSamples.Contains(p.Name)) AnnotationSamples.Add(p.Name);
            _annotations.Set(1, p.Cat);
            _annotations.Set(2, p.Name);
            _annotations.Set(3, span.Begin.TsNs);
            _annotations.Set(4, span.DurNs);
            _annotations.Set(5, p.Pid);
            _annotations.Set(6, p.Tid);
            _annotations.Set(7, p.ExternalId);
            _annotations.Run();
        }
        foreach (var e in stray)
            Warnings.Add(WarningCatalog.UnmatchedEnd, e.ByteOffset, "an E event with no open B event on its thread; dropped");
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once over every kernel: no tier-0 warm-up
    private void DropDuplicateKernels()
    {
        foreach (var device in _devices.Keys.ToList())
        {
            var kernels = _devices[device];
            var order = kernels.StartOrder();
            bool[]? keep = null;
            var dropped = 0;
            for (var i = 0; i < order.Length;)
            {
                var j = i + 1;
                while (j < order.Length && kernels.TsNs[order[j]] == kernels.TsNs[order[i]]) j++;
                for (var a = i + 1; a < j && j - i <= 64; a++)
                {
                    for (var b = i; b < a; b++)
                    {
                        if ((keep is not null && !keep[order[b]]) || !kernels.SameKernel(order[a], order[b])) continue;
                        keep ??= Enumerable.Repeat(true, kernels.Count).ToArray();
                        keep[order[a]] = false;
                        dropped++;
                        break;
                    }
                }
                i = j;
            }
            if (keep is null) continue;
            Warnings.Add(WarningCatalog.DuplicateEvent, null, $"exact duplicate events (merged or concatenated traces) dropped, e.g. {dropped} kernel(s) on device {device}", dropped);
            _devices[device] = kernels.Where(keep);
        }
    }

    private void DropDuplicateRows(string table, string columns)
    {
        using var cmd = _staging.Connection.CreateCommand();
        cmd.Transaction = _staging.Transaction;
        cmd.CommandText = $"DELETE FROM {table} WHERE rowid NOT IN (SELECT min(rowid) FROM {table} GROUP BY {columns})";
        var dropped = cmd.ExecuteNonQuery();
        if (dropped > 0)
            Warnings.Add(WarningCatalog.DuplicateEvent, null, $"exact duplicate events (merged or concatenated traces) dropped, e.g. {dropped} row(s) of {table}", dropped);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once over every kernel: no tier-0 warm-up
    private void SetAsideRunawayEnd()
    {
        if (_maxEndNs == long.MinValue || _secondEndNs == long.MinValue) return;
        long others = _secondEndNs, start = _minTsNs;
        foreach (var d in _devices.Values)
        {
            for (var i = 0; i < d.Count; i++)
            {
                others = Math.Max(others, d.TsNs[i] + d.DurNs[i]);
                start = Math.Min(start, d.TsNs[i]);
            }
        }
        var span = others - start;
        if (span <= 0 || _maxEndNs - others <= span) return;
        Warnings.Add(WarningCatalog.EventRunawayDur, _maxEndOffset,
            $"an event's dur would end it {_maxEndNs - others} ns after every other event (more than the {span} ns span of all the others); its end is not used for the trace span");
        _maxEndNs = _secondEndNs;
    }


    /// <summary>Finalizes the prepared statements (call once the trace has been read; the staging database cannot close while they live).</summary>
    public void Dispose()
    {
        _annotations.Dispose();
        _launches.Dispose();
        _memoryOps.Dispose();
        _cpuOps.Dispose();
    }
}
