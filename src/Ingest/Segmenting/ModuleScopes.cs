using System.Globalization;

namespace LlmPipeline.Ingest.Segmenting;

/// <summary>
/// Module scopes of a trace recorded <c>with_modules</c> / <c>with_stack</c>: <c>python_function</c> events named
/// <c>nn.Module: &lt;Class&gt;_&lt;n&gt;</c> (PyTorch numbers the instances of each module class from 0), and for
/// torch.compile graphs without them vLLM's <c>## Call CompiledFxGraph … ##</c> annotations, one per compiled piece.
/// Finds, for a CPU instant on a thread, the innermost scope around it and the decoder-layer scope around it.
/// </summary>
public sealed class ModuleScopes
{
    /// <summary>Prefix of the python_function events that open a module's forward.</summary>
    public const string ModulePrefix = "nn.Module: ";

    /// <summary>Prefix of vLLM's annotation around one compiled FX graph piece.</summary>
    public const string CompiledGraphPrefix = "## Call CompiledFxGraph";

    /// <summary>One scope on one thread.</summary>
    /// <param name="Thread">pid and tid as text (<c>"251/251"</c>).</param>
    /// <param name="StartNs">Start, ns.</param>
    /// <param name="EndNs">End (start + dur), ns.</param>
    /// <param name="Name">The module instance (<c>Qwen3DecoderLayer_5</c>, prefix removed) or the annotation text.</param>
    /// <param name="IsModule">True for an <c>nn.Module</c> scope, false for a compiled-graph annotation.</param>
    public readonly record struct Scope(string Thread, long StartNs, long EndNs, string Name, bool IsModule);

    private readonly Dictionary<string, List<Scope>> _byThread = new(StringComparer.Ordinal);

    /// <summary>Adds a scope (any order).</summary>
    public void Add(Scope scope)
    {
        if (!_byThread.TryGetValue(scope.Thread, out var list)) _byThread[scope.Thread] = list = [];
        list.Add(scope);
    }

    /// <summary>Scopes added.</summary>
    public int Count => _byThread.Values.Sum(l => l.Count);

    /// <summary>
    /// The decoder-layer module class: among the module classes whose instances are exactly <c>_0</c> …
    /// <c>_{N-1}</c> (N ≥ 2), each seen equally often (once per forward pass), the one whose scopes last longest in
    /// total, i.e. the outermost (<c>Qwen3DecoderLayer</c> holds <c>Qwen3Attention</c>, <c>Qwen2MLP</c>, … which also
    /// number 0 … 35). Null when no class qualifies.
    /// </summary>
    public string? DecoderLayerClass()
    {
        string? best = null;
        long bestNs = -1;
        foreach (var cls in _byThread.Values.SelectMany(l => l).Where(s => s.IsModule)
                     .Select(s => (Scope: s, Split: Split(s.Name))).Where(x => x.Split is not null)
                     .GroupBy(x => x.Split!.Value.Class, StringComparer.Ordinal))
        {
            var counts = cls.GroupBy(x => x.Split!.Value.Instance).ToDictionary(g => g.Key, g => g.Count());
            var n = counts.Count;
            if (n < 2 || counts.Keys.Min() != 0 || counts.Keys.Max() != n - 1 || counts.Values.Distinct().Count() != 1) continue;
            var total = cls.Sum(x => x.Scope.EndNs - x.Scope.StartNs);
            if (total > bestNs)
            {
                (best, bestNs) = (cls.Key, total);
            }
        }
        return best;
    }

    /// <summary>
    /// For each instant (thread, time) the innermost scope containing it (a module, or a compiled-graph annotation
    /// inside vLLM's <c>GraphModule</c>), and the module scope of class <paramref name="layerClass"/> containing it;
    /// nulls where none does.
    /// </summary>
    /// <param name="points">Thread (as in <see cref="Scope.Thread"/>) and time, ns.</param>
    /// <param name="layerClass">The decoder-layer class (<see cref="DecoderLayerClass"/>), null for none.</param>
    public (string? Module, string? LayerModule)[] Find(IReadOnlyList<(string Thread, long TsNs)> points, string? layerClass)
    {
        var result = new (string? Module, string? LayerModule)[points.Count];
        foreach (var group in Enumerable.Range(0, points.Count).GroupBy(i => points[i].Thread, StringComparer.Ordinal))
        {
            if (!_byThread.TryGetValue(group.Key, out var scopes)) continue;
            // Nested scopes: by start, the longer (outer) one first, so a stack holds the open scopes outermost first.
            var sorted = scopes.OrderBy(s => s.StartNs).ThenByDescending(s => s.EndNs).ToList();
            var order = group.OrderBy(i => points[i].TsNs).ToList();
            var open = new List<Scope>();
            var next = 0;
            foreach (var i in order)
            {
                var ts = points[i].TsNs;
                while (next < sorted.Count && sorted[next].StartNs <= ts) open.Add(sorted[next++]);
                open.RemoveAll(s => s.EndNs < ts);
                string? module = null, layer = null;
                for (var k = open.Count - 1; k >= 0; k--)
                {
                    var s = open[k];
                    module ??= s.Name;
                    if (layer is null && s.IsModule && layerClass is not null && Split(s.Name)?.Class == layerClass) layer = s.Name;
                }
                result[i] = (module, layer);
            }
        }
        return result;
    }

    /// <summary>Class and instance number of a module instance name (<c>Qwen3DecoderLayer_5</c> → (<c>Qwen3DecoderLayer</c>, 5)); null without a numeric suffix.</summary>
    public static (string Class, int Instance)? Split(string instance)
    {
        var us = instance.LastIndexOf('_');
        if (us <= 0 || us == instance.Length - 1) return null;
        return int.TryParse(instance.AsSpan(us + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? (instance[..us], n)
            : null;
    }
}
