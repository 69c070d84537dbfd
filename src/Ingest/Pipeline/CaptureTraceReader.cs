using System.Text;
using System.Text.Json;
using LlmPipeline.Ingest.Reading;

namespace LlmPipeline.Ingest.Pipeline;

/// <summary>
/// Reads a companion capture trace (field-problems.md B26) with the ordinary <see cref="TraceReader"/> (lenient:
/// repairs are made silently, the companion is optional evidence) and keeps, per device, the kernel sequence in
/// start order with each kernel's launching cpu_op: the kernel's own <c>External id</c>, else the
/// <c>External id</c> of the runtime call with the kernel's correlation id; the first cpu_op seen with an External
/// id names it (as the main ingest's cpu_ops table does).
/// </summary>
public static class CaptureTraceReader
{
    /// <summary>Reads <paramref name="path"/> (<c>.json</c> or gzip, detected by magic bytes).</summary>
    /// <param name="path">The companion trace file.</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>The kernel sequences per device (devices in ascending order).</returns>
    /// <exception cref="TraceFormatException">The file is not a usable JSON trace.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static CaptureTrace Read(string path, CancellationToken ct = default)
    {
        var sink = new Sink();
        using (var json = TraceInput.Open(path))
            new TraceReader().Read(json, path, sink, null, ct);
        return new CaptureTrace(path, sink.Sequences());
    }

    private sealed class Sink : ITraceEventSink
    {
        private readonly List<RawKernel> _kernels = [];
        private readonly Dictionary<long, long> _externalIdOfCorrelation = [];
        private readonly Dictionary<long, (string Name, string? Dims)> _ops = [];
        private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);

        public void OnEvent(ref TraceEvent e)
        {
            switch (e.Category)
            {
                case EventCategory.Kernel when e.HasTs:
                    _kernels.Add(new RawKernel(e.Device ?? e.Pid ?? 0, e.TsNs, _kernels.Count, Intern(e.Name)!,
                        Intern(e.Grid), Intern(e.Block), e.ExternalId, e.Correlation));
                    break;
                case EventCategory.CudaRuntime or EventCategory.CudaDriver:
                    if (e.Correlation is long corr && e.ExternalId is long ext) _externalIdOfCorrelation.TryAdd(corr, ext);
                    break;
                case EventCategory.CpuOp when e.ExternalId is long id && e.Ph != (byte)'E':
                    _ops.TryAdd(id, (Intern(e.Name)!, Intern(e.InputDims)));
                    break;
            }
        }

        public void OnMetadata(string key, JsonElement value) { }

        public void OnWarning(string kind, long byteOffset, string detail) { }

        public IReadOnlyList<IReadOnlyList<CaptureTrace.Kernel>> Sequences() =>
            _kernels.GroupBy(k => k.Device).OrderBy(g => g.Key)
                .Select(g => (IReadOnlyList<CaptureTrace.Kernel>)g.OrderBy(k => k.TsNs).ThenBy(k => k.FileOrder).Select(ToKernel).ToList())
                .ToList();

        private CaptureTrace.Kernel ToKernel(RawKernel k)
        {
            long? ext = k.ExternalId;
            if (ext is null && k.Correlation is long corr && _externalIdOfCorrelation.TryGetValue(corr, out var viaLaunch)) ext = viaLaunch;
            if (ext is long id && _ops.TryGetValue(id, out var op)) return new CaptureTrace.Kernel(k.Name, k.Grid, k.Block, op.Name, op.Dims);
            return new CaptureTrace.Kernel(k.Name, k.Grid, k.Block, null, null);
        }

        private string? Intern(ReadOnlySpan<byte> utf8)
        {
            if (utf8.IsEmpty) return null;
            var s = Encoding.UTF8.GetString(utf8);
            if (_strings.TryGetValue(s, out var known)) return known;
            _strings[s] = s;
            return s;
        }
    }

    private sealed record RawKernel(long Device, long TsNs, int FileOrder, string Name, string? Grid, string? Block, long? ExternalId, long? Correlation);
}
