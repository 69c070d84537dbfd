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
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        using (var doc = ProfileJson.ParseDocument(json, source))
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new ProfileFormatException(source, "", "not a JSON object with step_markers and/or attention_signatures");
            var grammars = new List<Grammar>();
            if (doc.RootElement.TryGetProperty("step_markers", out var markers))
            {
                var i = 0;
                foreach (var m in Objects(markers, "step_markers", source))
                {
                    var field = $"step_markers[{i++}]";
                    var name = Text(m, "name", field, source);
                    var regex = Compile(Text(m, "pattern", field, source), field + ".pattern", source);
                    var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    if (m.TryGetProperty("phase_map", out var pm))
                    {
                        if (pm.ValueKind != JsonValueKind.Object)
                            throw new ProfileFormatException(source, field + ".phase_map", "not an object of marker word → phase");
                        foreach (var kv in pm.EnumerateObject())
                            map[kv.Name] = CheckPhase(kv.Value.ValueKind == JsonValueKind.String ? kv.Value.GetString() : kv.Value.GetRawText(),
                                $"{field}.phase_map.{kv.Name}", source);
                    }
                    grammars.Add(new Grammar(name, regex, map));
                }
            }
            var signatures = new List<(string, Regex)>();
            if (doc.RootElement.TryGetProperty("attention_signatures", out var sigs))
            {
                var i = 0;
                foreach (var s in Objects(sigs, "attention_signatures", source))
                {
                    var field = $"attention_signatures[{i++}]";
                    var phase = CheckPhase(Text(s, "phase", field, source), field + ".phase", source);
                    signatures.Add((phase, Compile(Text(s, "pattern", field, source), field + ".pattern", source)));
                }
            }
            if (grammars.Count == 0 && signatures.Count == 0)
                throw new ProfileFormatException(source, "", "holds no step_markers and no attention_signatures (nothing to match)");
            return new PhaseRules(grammars, signatures);
        }
    }

    /// <summary>
    /// Reads a user phase-rules file (<c>--step-markers FILE.json</c>, the shape of the built-in
    /// <c>step_markers.json</c>).
    /// </summary>
    /// <param name="path">The JSON file.</param>
    /// <returns>The file's rules only (see <see cref="Then"/> to fall back on the built-in ones).</returns>
    /// <exception cref="ProfileFormatException">The file is missing, unreadable or malformed (the message names the file and the field).</exception>
    public static PhaseRules Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ProfileFormatException(path, "", "cannot read the step-markers file: " + ex.Message, ex);
        }
        return Parse(text, path);
    }

    /// <summary>
    /// The rules for a run: <see cref="Default"/> when <paramref name="userFile"/> is null, else the file's rules tried
    /// before the built-in ones (<c>Load(userFile).Then(Default)</c>).
    /// </summary>
    /// <exception cref="ProfileFormatException">The file is missing, unreadable or malformed.</exception>
    public static PhaseRules ForUserFile(string? userFile) => userFile is null ? Default : Load(userFile).Then(Default);

    /// <summary>These rules first, then <paramref name="fallback"/>'s (grammars and signatures each in that order).</summary>
    public PhaseRules Then(PhaseRules fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        return new PhaseRules([.. _grammars, .. fallback._grammars], [.. _signatures, .. fallback._signatures]);
    }

    /// <summary>
    /// Parses a step annotation name, or returns null when no grammar matches. For grammars with
    /// <c>prefill_reqs</c>/<c>decode_reqs</c> groups (vLLM): both &gt; 0 → mixed, only prefill → prefill, only
    /// decode → decode; the batch size is their sum. Token count: the <c>toks</c> group, else the sum of
    /// <c>prefill_toks</c> and <c>decode_toks</c> (SGLang <c>ext=</c> + <c>dec=</c>), else the batch size for a decode
    /// step; never one for an <c>idle</c> step.
    /// </summary>
    public StepMarker? ParseMarker(string annotationName)
    {
        ArgumentNullException.ThrowIfNull(annotationName);
        // A grammar that matches but yields no phase (ProfilerStep#N, or a user grammar whose phase_map lacks the
        // captured value) does not hide the grammars after it: the first one that yields a phase wins, else the first match.
        StepMarker? unphased = null;
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
            if (toks is null && phase == PhaseNames.Decode && bs is int requests) toks = requests; // one new token per request
            if (phase == PhaseNames.Idle) toks = null;
            var marker = new StepMarker(g.Name, phase, bs, toks);
            if (phase is not null) return marker;
            unphased ??= marker;
        }
        return unphased;
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

    private static IEnumerable<JsonElement> Objects(JsonElement array, string field, string source)
    {
        if (array.ValueKind != JsonValueKind.Array)
            throw new ProfileFormatException(source, field, "not an array");
        var i = 0;
        foreach (var e in array.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Object)
                throw new ProfileFormatException(source, $"{field}[{i}]", "not an object");
            i++;
            yield return e;
        }
    }

    private static string Text(JsonElement e, string name, string field, string source) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s
            ? s
            : throw new ProfileFormatException(source, $"{field}.{name}", "missing or not a non-empty string");

    private static string CheckPhase(string? phase, string field, string source) =>
        phase is not null && PhaseNames.All.Contains(phase)
            ? phase
            : throw new ProfileFormatException(source, field, $"'{phase}' is not a phase ({string.Join(", ", PhaseNames.All)})");

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
