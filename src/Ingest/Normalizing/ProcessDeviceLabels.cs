using System.Buffers.Text;
using System.Text;
using LlmPipeline.Ingest.Reading;

namespace LlmPipeline.Ingest.Normalizing;

/// <summary>
/// The GPU a pid stands for, from the trace's <c>process_labels</c> / <c>process_name</c> metadata (<c>M</c>) events
/// (<c>"GPU 0"</c>): the fallback for kernels and memory operations without <c>args.device</c>
/// (docs/messy-traces.md, B29: roctracer pids are offset from the device ids, kineto #925). Metadata events may come after the kernels
/// (Kineto writes them last), so the map is read once the trace is complete.
/// </summary>
public sealed class ProcessDeviceLabels
{
    private static readonly byte[] ProcessLabels = "process_labels"u8.ToArray();
    private static readonly byte[] ProcessName = "process_name"u8.ToArray();

    private readonly Dictionary<long, (int Device, string Text)> _labels = [];
    private readonly Dictionary<long, (int Device, string Text)> _names = [];

    /// <summary>Remembers the <c>GPU N</c> of a <c>process_labels</c> / <c>process_name</c> metadata event's pid; ignores other events.</summary>
    public void Note(ref TraceEvent e)
    {
        if (e.Pid is not long pid) return;
        var isLabels = e.Name.SequenceEqual(ProcessLabels);
        if (!isLabels && !e.Name.SequenceEqual(ProcessName)) return;
        var text = isLabels ? e.ArgLabels : e.ArgName;
        if (GpuNumber(text) is not int device) return;
        (isLabels ? _labels : _names)[pid] = (device, Encoding.UTF8.GetString(text));
    }

    /// <summary>Every pid with a GPU label or name.</summary>
    public IEnumerable<long> Pids => _labels.Keys.Concat(_names.Keys).Distinct();

    /// <summary>The device of <paramref name="pid"/>: its <c>process_labels</c> GPU, else its <c>process_name</c> GPU, else null; with the text and which metadata said it.</summary>
    public (int Device, string Text, string Source)? Of(long pid) =>
        _labels.TryGetValue(pid, out var l) ? (l.Device, l.Text, "process_labels")
        : _names.TryGetValue(pid, out var n) ? (n.Device, n.Text, "process_name")
        : null;

    /// <summary>N of a text starting with <c>GPU N</c> (any case, space optional, N decimal digits not followed by another digit), else null.</summary>
    internal static int? GpuNumber(ReadOnlySpan<byte> text)
    {
        text = text.TrimStart(" "u8);
        if (text.Length < 4 || (text[0] | 0x20) != 'g' || (text[1] | 0x20) != 'p' || (text[2] | 0x20) != 'u') return null;
        text = text[3..].TrimStart(" "u8);
        return Utf8Parser.TryParse(text, out int n, out var used) && used > 0 && n >= 0 && (used == text.Length || !char.IsAsciiDigit((char)text[used]))
            ? n : null;
    }
}
