namespace LlmPipeline.Ingest.Reading;

/// <summary>
/// One complete trace event as the reader hands it to an <see cref="ITraceEventSink"/>: the fields LlmPipeline
/// uses, already decoded. Spans point into the reader's buffers and are valid only during the sink call.
/// </summary>
/// <remarks>
/// Times follow the Chrome trace-event format: <c>ts</c> and <c>dur</c> are microseconds in the file, parsed from
/// their decimal text into exact integer nanoseconds (never through a double: docs/trace-format.md, 'Timestamps'). Numeric strings
/// (<c>"ts": "12.5"</c>) are accepted.
/// </remarks>
public ref struct TraceEvent
{
    /// <summary>Byte offset of the event's opening brace in the decompressed stream.</summary>
    public long ByteOffset;

    /// <summary>Phase character (<c>X</c>, <c>B</c>, <c>E</c>, <c>i</c>, <c>M</c>, <c>s</c>, <c>f</c>...), 0 when absent.</summary>
    public byte Ph;

    /// <summary>Normalized category.</summary>
    public EventCategory Category;

    /// <summary>The <c>cat</c> text as written (unescaped UTF-8), empty when absent.</summary>
    public ReadOnlySpan<byte> Cat;

    /// <summary>The <c>name</c> text (unescaped UTF-8), empty when absent.</summary>
    public ReadOnlySpan<byte> Name;

    /// <summary>True when <see cref="TsNs"/> holds a usable <c>ts</c>.</summary>
    public bool HasTs;

    /// <summary><c>ts</c> in nanoseconds (µs × 1000, exact).</summary>
    public long TsNs;

    /// <summary>True when <see cref="DurNs"/> holds a <c>dur</c>.</summary>
    public bool HasDur;

    /// <summary><c>dur</c> in nanoseconds (µs × 1000, exact); may be negative in broken traces.</summary>
    public long DurNs;

    /// <summary><c>pid</c> as an integer when it is one (or a numeric string).</summary>
    public long? Pid;

    /// <summary><c>pid</c> text when it is a non-numeric string (e.g. <c>"Spans"</c>), else empty.</summary>
    public ReadOnlySpan<byte> PidText;

    /// <summary><c>tid</c> as an integer when it is one (or a numeric string).</summary>
    public long? Tid;

    /// <summary><c>tid</c> text when it is a non-numeric string (e.g. <c>"stream 7"</c>), else empty.</summary>
    public ReadOnlySpan<byte> TidText;

    /// <summary>Flow event <c>id</c> (phases <c>s</c>/<c>f</c>), when present.</summary>
    public long? Id;

    /// <summary><c>args.device</c>.</summary>
    public long? Device;

    /// <summary><c>args.stream</c> (int64: ROCm writes raw 64-bit HIP stream handles, kineto #1424; a <c>"0x…"</c> string is read as hex).</summary>
    public long? Stream;

    /// <summary>
    /// <c>args["sycl queue"]</c>: the SYCL queue an Intel XPU kernel ran on, which XPU traces give instead of
    /// <c>args.stream</c> (intel/torch-xpu-ops#5284); used as the stream when <see cref="Stream"/> is absent.
    /// </summary>
    public long? SyclQueue;

    /// <summary><c>args.correlation</c>.</summary>
    public long? Correlation;

    /// <summary><c>args["External id"]</c> (or legacy <c>"external id"</c>).</summary>
    public long? ExternalId;

    /// <summary><c>args.grid</c> as compact JSON text (<c>[5556,1,1]</c>); string-typed grids are kept as their text.</summary>
    public ReadOnlySpan<byte> Grid;

    /// <summary><c>args.block</c> as compact JSON text.</summary>
    public ReadOnlySpan<byte> Block;

    /// <summary><c>args["Input Dims"]</c> (or legacy <c>"Input dims"</c>, 2021 Kineto) as compact JSON text, empty when absent.</summary>
    public ReadOnlySpan<byte> InputDims;

    /// <summary><c>args["Input type"]</c> (the dtype of each input, e.g. <c>["c10::BFloat16","float"]</c>) as compact JSON text, empty when absent.</summary>
    public ReadOnlySpan<byte> InputTypes;

    /// <summary>
    /// <c>args.kernel</c> text, empty when absent: the kernel name a ROCm launch record carries
    /// (<c>hipLaunchKernel</c>, <c>hipModuleLaunchKernel</c>, <c>hipExtModuleLaunchKernel</c>), the only place a
    /// graph-capture trace names the kernels it captured.
    /// </summary>
    public ReadOnlySpan<byte> KernelArg;

    /// <summary><c>args.bytes</c> (memcpy / memset), when present.</summary>
    public long? Bytes;

    /// <summary>
    /// <c>args.labels</c> text (a string, or a number as written), empty when absent: what a <c>process_labels</c>
    /// metadata event says a process is, e.g. <c>"GPU 0"</c> (docs/messy-traces.md, B29).
    /// </summary>
    public ReadOnlySpan<byte> ArgLabels;

    /// <summary><c>args.name</c> text (a string, or a number as written), empty when absent: the name a <c>process_name</c> / <c>thread_name</c> metadata event gives.</summary>
    public ReadOnlySpan<byte> ArgName;
}
