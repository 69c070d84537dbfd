using LlmPipeline.Analysis.Segmentation;

namespace LlmPipeline.Analysis.Tests.Support;

/// <summary>Builds a <see cref="KernelSequence"/> from (name, start µs, duration µs) kernels.</summary>
internal sealed class SeqBuilder
{
    private readonly List<(long Start, long Dur, string Name)> _kernels = [];

    /// <summary>Cursor: end of the last appended kernel, in ns.</summary>
    public long CursorNs { get; private set; }

    /// <summary>Adds a kernel at an explicit start (µs).</summary>
    public SeqBuilder At(string name, double startUs, double durUs)
    {
        var s = (long)Math.Round(startUs * 1000);
        var d = (long)Math.Round(durUs * 1000);
        _kernels.Add((s, d, name));
        CursorNs = Math.Max(CursorNs, s + d);
        return this;
    }

    /// <summary>Appends a kernel <paramref name="gapUs"/> after the cursor.</summary>
    public SeqBuilder Then(string name, double durUs, double gapUs = 1)
    {
        var s = CursorNs + (long)Math.Round(gapUs * 1000);
        return At(name, s / 1000.0, durUs);
    }

    public int Count => _kernels.Count;

    public KernelSequence Build()
    {
        var sorted = _kernels.Select((k, i) => (k, i)).OrderBy(x => x.k.Start).ThenBy(x => x.i).Select(x => x.k).ToList();
        var names = sorted.Select(k => k.Name).Distinct().ToList();
        var ids = names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i);
        return new KernelSequence(sorted.Select(k => k.Start).ToArray(), sorted.Select(k => k.Dur).ToArray(),
            sorted.Select(k => ids[k.Name]).ToArray(), names);
    }
}
