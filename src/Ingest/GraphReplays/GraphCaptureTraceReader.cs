using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LlmPipeline.Analysis.Warnings;
using LlmPipeline.Ingest.Normalizing;
using LlmPipeline.Ingest.Reading;
using LlmPipeline.Ingest.Segmenting;

namespace LlmPipeline.Ingest.GraphReplays;

/// <summary>
/// Reads a companion capture trace (<see cref="GraphCaptureTrace"/>) with the ordinary <see cref="TraceReader"/> (lenient:
/// repairs are made silently, the companion is optional evidence) into its captured kernel sequence
/// (<see cref="GraphCaptureTrace.Kernels"/>). Captured kernels do not execute, so the sequence is built from the kernel
/// launch records (runtime or driver calls whose name holds <c>LaunchKernel</c> / <c>LaunchCooperativeKernel</c>, in CPU
/// start order), each named, in this order of preference: by its <c>args.kernel</c> (ROCm's <c>hipLaunchKernel</c>,
/// <c>hipModuleLaunchKernel</c>, <c>hipExtModuleLaunchKernel</c> carry it); else by the kernel event with its correlation
/// id; else not at all (then only the launch order can align it). A capture without launch records falls back to its
/// kernel events in GPU start order. Each kernel gets the cpu_op with the launch's External id (else the kernel event's):
/// its name, <c>Input Dims</c> and <c>Input type</c>; and its module scopes (<see cref="ModuleScopes"/>).
/// </summary>
public static partial class GraphCaptureTraceReader
{
    [GeneratedRegex(@"(?:^|[^a-z0-9])bs[_\-=]?(?<n>\d+)(?!\d)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FileBatchSize();

    [GeneratedRegex(@"^capture_(?<n>\d+)(?:_|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CaptureAnnotation();

    /// <summary>Name of the file beside a capture trace that lists each capture file's batch size (TraceLens writes it).</summary>
    public const string ExecutionDetailsFile = "execution_details.json";

    /// <summary>Reads <paramref name="path"/> (<c>.json</c> or gzip, detected by magic bytes).</summary>
    /// <param name="path">The companion trace file.</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>The captured kernels in launch order, with their batch size.</returns>
    /// <exception cref="TraceFormatException">The file is not a usable JSON trace.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static GraphCaptureTrace Read(string path, CancellationToken ct = default)
    {
        var sink = new Sink();
        using (var json = TraceInput.Open(path))
            new TraceReader().Read(json, path, sink, null, ct);
        var (kernels, source) = sink.Kernels();
        var batch = BatchSizeOf(path) ?? sink.AnnotationBatchSize;
        return new GraphCaptureTrace(path, kernels, source, batch, sink.LayerClass);
    }

    /// <summary>The batch size the file name (<c>bs_32_rank0.json.gz</c>) or the <see cref="ExecutionDetailsFile"/> beside it gives; null when neither.</summary>
    public static int? BatchSizeOf(string path)
    {
        var m = FileBatchSize().Match(Path.GetFileName(path));
        if (m.Success && int.TryParse(m.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return n;
        var details = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", ExecutionDetailsFile);
        if (!File.Exists(details)) return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(details));
            var entries = doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement.EnumerateArray().ToList() : [doc.RootElement];
            foreach (var e in entries)
                if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty("file", out var f) && f.ValueKind == JsonValueKind.String
                    && string.Equals(f.GetString(), Path.GetFileName(path), StringComparison.Ordinal)
                    && e.TryGetProperty("batch_size", out var b) && b.TryGetInt32(out var size))
                    return size;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // optional evidence: an unreadable file says nothing
        }
        return null;
    }

    private sealed class Sink : ITraceEventSink
    {
        private readonly List<Launch> _launches = [];
        private readonly List<KernelEvent> _kernels = [];
        private readonly Dictionary<long, KernelEvent> _kernelOfCorrelation = [];
        private readonly Dictionary<long, (string Name, string? Dims, string? Types)> _ops = [];
        private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
        private readonly ModuleScopes _scopes = new();

        public int? AnnotationBatchSize { get; private set; }

        public string? LayerClass { get; private set; }

        public void OnEvent(ref TraceEvent e)
        {
            switch (e.Category)
            {
                case EventCategory.Kernel when e.HasTs:
                    var k = new KernelEvent(e.Device ?? e.Pid ?? 0, e.TsNs, _kernels.Count, Intern(e.Name)!, Intern(e.Grid), Intern(e.Block),
                        e.Stream, e.ExternalId, e.Correlation);
                    _kernels.Add(k);
                    if (e.Correlation is long kc) _kernelOfCorrelation.TryAdd(kc, k);
                    break;
                case EventCategory.CudaRuntime or EventCategory.CudaDriver when e.HasTs:
                    var name = Encoding.UTF8.GetString(e.Name);
                    if (LaunchLedger.IsKernelLaunch(name) && !name.Contains("GraphLaunch", StringComparison.OrdinalIgnoreCase))
                        _launches.Add(new Launch(Thread(ref e), e.TsNs, _launches.Count, Intern(e.KernelArg), Intern(e.Grid), Intern(e.Block),
                            e.ExternalId, e.Correlation));
                    break;
                case EventCategory.CpuOp when e.ExternalId is long id && e.Ph != (byte)'E':
                    _ops.TryAdd(id, (Intern(e.Name)!, Intern(e.InputDims), Intern(e.InputTypes)));
                    break;
                case EventCategory.PythonFunction when e.HasTs && e.HasDur && e.Name.StartsWith("nn.Module: "u8):
                    _scopes.Add(new ModuleScopes.Scope(Thread(ref e), e.TsNs, e.TsNs + e.DurNs,
                        Encoding.UTF8.GetString(e.Name[ModuleScopes.ModulePrefix.Length..]), true));
                    break;
                case EventCategory.UserAnnotation when e.HasTs:
                    var text = Encoding.UTF8.GetString(e.Name);
                    if (e.HasDur && text.StartsWith(ModuleScopes.CompiledGraphPrefix, StringComparison.Ordinal))
                        _scopes.Add(new ModuleScopes.Scope(Thread(ref e), e.TsNs, e.TsNs + e.DurNs, text, false));
                    var m = CaptureAnnotation().Match(text);
                    if (m.Success && int.TryParse(m.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                        AnnotationBatchSize ??= n;
                    break;
            }
        }

        public void OnMetadata(string key, JsonElement value) { }

        public void OnWarning(WarningKind kind, long byteOffset, string detail) { }

        public (IReadOnlyList<GraphCaptureTrace.Kernel> Kernels, string Source) Kernels()
        {
            LayerClass = _scopes.DecoderLayerClass();
            if (_launches.Count == 0)
            {
                var events = _kernels.OrderBy(k => k.Device).ThenBy(k => k.TsNs).ThenBy(k => k.FileOrder).ToList();
                // kernel events carry no CPU thread: module scopes are found at the launch of the same correlation only
                return (events.Select(k => FromKernel(k, null)).ToList(), "kernel events");
            }
            var launches = _launches.OrderBy(l => l.TsNs).ThenBy(l => l.FileOrder).ToList();
            var scopes = _scopes.Find(launches.Select(l => (l.Thread, l.TsNs)).ToList(), LayerClass);
            var list = new List<GraphCaptureTrace.Kernel>(launches.Count);
            int byArg = 0, byEvent = 0, unnamed = 0;
            for (var i = 0; i < launches.Count; i++)
            {
                var l = launches[i];
                KernelEvent? k = l.Correlation is long c && _kernelOfCorrelation.TryGetValue(c, out var found) ? found : null;
                var name = l.KernelArg ?? k?.Name;
                if (l.KernelArg is not null) byArg++;
                else if (k is not null) byEvent++;
                else unnamed++;
                var op = Op(l.ExternalId ?? k?.ExternalId);
                list.Add(new GraphCaptureTrace.Kernel(name, l.Grid ?? k?.Grid, l.Block ?? k?.Block, k?.Stream, op?.Name, op?.Dims, op?.Types,
                    scopes[i].Module, scopes[i].LayerModule));
            }
            var parts = new List<string>();
            if (byArg > 0) parts.Add($"{byArg} named by args.kernel");
            if (byEvent > 0) parts.Add($"{byEvent} by the kernel event of their correlation");
            if (unnamed > 0) parts.Add($"{unnamed} unnamed (launch order only)");
            return (list, $"{launches.Count} launch records: {string.Join(", ", parts)}");
        }

        private GraphCaptureTrace.Kernel FromKernel(KernelEvent k, (string? Module, string? Layer)? scope)
        {
            var op = Op(k.ExternalId);
            if (op is null && k.Correlation is long corr)
                foreach (var l in _launches)
                    if (l.Correlation == corr) { op = Op(l.ExternalId); break; }
            return new GraphCaptureTrace.Kernel(k.Name, k.Grid, k.Block, k.Stream, op?.Name, op?.Dims, op?.Types, scope?.Module, scope?.Layer);
        }

        private (string Name, string? Dims, string? Types)? Op(long? externalId) =>
            externalId is long id && _ops.TryGetValue(id, out var op) ? op : null;

        private static string Thread(ref TraceEvent e) =>
            string.Create(CultureInfo.InvariantCulture, $"{(e.Pid is long p ? p.ToString(CultureInfo.InvariantCulture) : Encoding.UTF8.GetString(e.PidText))}/{(e.Tid is long t ? t.ToString(CultureInfo.InvariantCulture) : Encoding.UTF8.GetString(e.TidText))}");

        private string? Intern(ReadOnlySpan<byte> utf8)
        {
            if (utf8.IsEmpty) return null;
            var s = Encoding.UTF8.GetString(utf8);
            if (_strings.TryGetValue(s, out var known)) return known;
            _strings[s] = s;
            return s;
        }
    }

    private sealed record Launch(string Thread, long TsNs, int FileOrder, string? KernelArg, string? Grid, string? Block, long? ExternalId, long? Correlation);

    private sealed record KernelEvent(long Device, long TsNs, int FileOrder, string Name, string? Grid, string? Block, long? Stream, long? ExternalId, long? Correlation);
}
