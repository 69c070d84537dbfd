using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LlmPipeline.Analysis.Profiles;

namespace LlmPipeline.Analysis.Phases;

/// <summary>
/// The phase rules as data (issue 4 "the annotation grammars are data"): step-annotation grammars and attention
/// kernel signatures, read from JSON (the built-in <c>Phases/step_markers.json</c>, or a user file of the same shape).
/// A new engine's markers need a JSON entry, not a rebuild.
/// </summary>
public sealed class PhaseRules
{
    private static readonly Lazy<PhaseRules> BuiltIn = new(() => Parse(ReadResource(), "built-in:step_markers"));
    private readonly List<Grammar> _grammars;
    private readonly List<(string Phase, Regex Pattern)> _signatures;

    private PhaseRules(List<Grammar> grammars, List<(string, Regex)> signatures)
    {
        _grammars = grammars;
        _signatures = signatures;
    }

    /// <summary>The built-in rules (embedded <c>step_markers.json</c>).</summary>
    public static PhaseRules Default => BuiltIn.Value;

    /// <summary>Number of step-marker grammars.</summary>
    public int GrammarCount => _grammars.Count;

    /// <summary>
    /// Reads rules from JSON: <c>step_markers</c> (array of {name, pattern, phase_map?}) and
    /// <c>attention_signatures</c> (array of {phase, pattern}); patterns are .NET regular expressions.
    /// </summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="source">File name for error messages.</param>
    /// <exception cref="ProfileFormatException">Malformed JSON, a missing field, an invalid regex or an unknown phase (the message names the field).</exception>
    public static PhaseRules Parse(string json, string source)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new ProfileFormatException(source, "", "not valid JSON: " + ex.Message, ex);
        }
        using (doc)
        {
            var grammars = new List<Grammar>();
            if (doc.RootElement.TryGetProperty("step_markers", out var markers))
            {
                var i = 0;
                foreach (var m in markers.EnumerateArray())
                {
                    var field = $"step_markers[{i++}]";
                    var name = Text(m, "name", field, source);
                    var regex = Compile(Text(m, "pattern", field, source), field + ".pattern", source);
                    var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    if (m.TryGetProperty("phase_map", out var pm))
                        foreach (var kv in pm.EnumerateObject())
                            map[kv.Name] = CheckPhase(kv.Value.GetString(), $"{field}.phase_map.{kv.Name}", source);
                    grammars.Add(new Grammar(name, regex, map));
                }
            }
            var signatures = new List<(string, Regex)>();
            if (doc.RootElement.TryGetProperty("attention_signatures", out var sigs))
            {
                var i = 0;
                foreach (var s in sigs.EnumerateArray())
                {
                    var field = $"attention_signatures[{i++}]";
                    var phase = CheckPhase(Text(s, "phase", field, source), field + ".phase", source);
                    signatures.Add((phase, Compile(Text(s, "pattern", field, source), field + ".pattern", source)));
                }
            }
            return new PhaseRules(grammars, signatures);
        }
    }

    /// <summary>
    /// Parses a step annotation name, or returns null when no grammar matches. For grammars with
    /// <c>prefill_reqs</c>/<c>decode_reqs</c> groups (vLLM): both &gt; 0 → mixed, only prefill → prefill, only
    /// decode → decode; the batch size is their sum.
    /// </summary>
    public StepMarker? ParseMarker(string annotationName)
    {
        ArgumentNullException.ThrowIfNull(annotationName);
        foreach (var g in _grammars)
        {
            var m = g.Pattern.Match(annotationName);
            if (!m.Success) continue;
            string? phase = null;
            var raw = m.Groups["phase"];
            if (raw.Success)
                phase = g.PhaseMap.TryGetValue(raw.Value, out var mapped) ? mapped : null;
            var bs = Int(m, "bs");
            var toks = Long(m, "toks");
            var pr = Int(m, "prefill_reqs");
            var dr = Int(m, "decode_reqs");
            if (phase is null && (pr is not null || dr is not null))
            {
                var p = pr ?? 0;
                var d = dr ?? 0;
                phase = p > 0 && d > 0 ? PhaseNames.Mixed : p > 0 ? PhaseNames.Prefill : d > 0 ? PhaseNames.Decode : null;
                bs ??= p + d;
            }
            if (toks is null && (Long(m, "prefill_toks") is not null || Long(m, "decode_toks") is not null))
                toks = (Long(m, "prefill_toks") ?? 0) + (Long(m, "decode_toks") ?? 0);
            return new StepMarker(g.Name, phase, bs, toks);
        }
        return null;
    }

    /// <summary>The phase an attention kernel name implies (<c>prefill</c> or <c>decode</c>), or null (first matching signature wins).</summary>
    public string? KernelPhase(string kernelName)
    {
        ArgumentNullException.ThrowIfNull(kernelName);
        foreach (var (phase, pattern) in _signatures)
            if (pattern.IsMatch(kernelName)) return phase;
        return null;
    }

    private static int? Int(Match m, string group) =>
        m.Groups[group] is { Success: true } g && int.TryParse(g.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static long? Long(Match m, string group) =>
        m.Groups[group] is { Success: true } g && long.TryParse(g.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static string Text(JsonElement e, string name, string field, string source) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s
            ? s
            : throw new ProfileFormatException(source, $"{field}.{name}", "missing or not a non-empty string");

    private static string CheckPhase(string? phase, string field, string source) =>
        phase is not null && PhaseNames.All.Contains(phase)
            ? phase
            : throw new ProfileFormatException(source, field, $"'{phase}' is not a phase (prefill, decode, mixed)");

    private static Regex Compile(string pattern, string field, string source)
    {
        try
        {
            return new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            throw new ProfileFormatException(source, field, "invalid regular expression: " + ex.Message, ex);
        }
    }

    private static string ReadResource()
    {
        var asm = typeof(PhaseRules).Assembly;
        using var stream = asm.GetManifestResourceStream("phases/step_markers.json")
            ?? throw new InvalidOperationException($"Embedded resource phases/step_markers.json is missing from {asm.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private sealed record Grammar(string Name, Regex Pattern, Dictionary<string, string> PhaseMap);
}
