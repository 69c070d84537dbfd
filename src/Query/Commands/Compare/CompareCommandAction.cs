using System.CommandLine;
using System.Globalization;
using System.Text;
using Dapper;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Compare;

/// <summary>
/// Runs <c>llmpipe compare</c>: builds one SQL query over the views that puts every run's value of each key side by
/// side and computes differences and ratios to the first run; C# only picks passes and names columns.
/// </summary>
public static class CompareCommandAction
{
    private sealed record Source(string From, string Key, string Value, string KeyColumn, bool PerPass, bool Additive);

    private static Source SourceFor(string by) => by switch
    {
        "category" => new("run_category_time", "category", "time_us", "category", true, true),
        "group" => new("run_category_time", "category_group", "time_us", "category_group", true, true),
        "kernel" => new("kernel_summary", "simplified_name", "total_us", "simplified_name", true, true),
        "layer" => new("run_layer_time", "layer_idx", "wall_us", "layer_idx", true, false),
        "layer-type" => new("run_layer_time", "layer_type", "wall_us", "layer_type", true, true),
        "pass" => new("pass_timeline", "pass_idx", "wall_ms * 1e3", "pass_idx", false, false),
        _ => throw new UsageException($"--by {by}: expected one of {string.Join(", ", CompareCommandDefinition.ByValues)}"),
    };

    /// <summary>Prints one row per key.</summary>
    /// <exception cref="UsageException">Fewer than two runs.</exception>
    /// <exception cref="QueryException">Unknown run, device or pass.</exception>
    public static int Run(CompareCommandDefinition def, ParseResult parse, CliIO io)
    {
        var runs = parse.GetValue(def.Runs) ?? [];
        if (runs.Length < 2) throw new UsageException("compare needs at least two --run options (the first is the baseline)");
        var source = SourceFor(parse.GetValue(def.By)!);
        using var db = def.Options.OpenDatabase(parse);
        var passA = parse.GetValue(def.Pass);
        var passB = parse.GetValue(def.PassB) ?? passA;
        var slots = new List<(long Run, int Device, int? Pass)>();
        for (var i = 0; i < runs.Length; i++)
        {
            db.RequireRun(runs[i]);
            var device = db.ResolveDevice(runs[i], parse.GetValue(def.Device));
            int? pass = null;
            if (source.PerPass)
            {
                var notes = new StringWriter();
                pass = PassScope.ResolvePass(db, runs[i], device, i == 0 ? passA : passB, null, notes);
                var note = notes.ToString().Trim();
                if (note.Length > 0) io.Error.WriteLine($"run {runs[i]}: {note}");
            }
            slots.Add((runs[i], device, pass));
        }
        NoteLayerCounts(db, slots, io);
        if (source.From == "run_layer_time") WarnEvidence(db, runs, io);
        var (sql, parameters) = BuildSql(source, slots);
        var table = db.Query(sql, parameters);
        // By default the key and the first two runs' values, then the other columns while they fit (--wide: all).
        def.Options.Render(table, parse, io.Output, new DefaultColumns([.. table.Columns.Take(3)], [.. table.Columns.Skip(3)]));
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Says on stderr when the compared passes (or runs) hold different numbers of layers: their totals then differ for
    /// that reason too (a pass cut by the trace start, or a run segmented with another layer count).
    /// </summary>
    private static void NoteLayerCounts(ReportDatabase db, IReadOnlyList<(long Run, int Device, int? Pass)> slots, CliIO io)
    {
        var counts = slots.Select(x => (x.Run, x.Pass, Layers: x.Pass is int pass
            ? db.Connection.ExecuteScalar<long?>("SELECT layer_count FROM passes WHERE run_id = @run AND device = @device AND pass_idx = @pass",
                new { run = x.Run, device = x.Device, pass })
            : db.Connection.ExecuteScalar<long?>("SELECT num_layers FROM runs WHERE run_id = @run", new { run = x.Run }))).ToList();
        if (counts.Select(c => c.Layers).Distinct().Count() < 2) return;
        var what = string.Join(", ", counts.Select(c => (c.Pass is int pass ? $"run {c.Run} pass {pass}" : $"run {c.Run}") + $": {c.Layers?.ToString(CultureInfo.InvariantCulture) ?? "no"} layers"));
        io.Error.WriteLine($"note: the compared {(slots[0].Pass is null ? "runs" : "passes")} hold different numbers of layers ({what}); their totals differ for that reason too");
    }

    /// <summary>
    /// Warns on stderr when the compared runs' layer boundaries come from different kinds of evidence
    /// (<c>runs.layer_evidence</c>: module scopes, the pass's template, the anchor): layer-by-layer numbers then compare
    /// layers cut by different rules.
    /// </summary>
    private static void WarnEvidence(ReportDatabase db, IReadOnlyList<long> runs, CliIO io)
    {
        var evidence = runs.Distinct().Select(r => (Run: r, Evidence: db.Connection.ExecuteScalar<string?>(
            "SELECT layer_evidence FROM runs WHERE run_id = @r", new { r }) ?? "unknown (segmented before schema 5)")).ToList();
        if (evidence.Select(e => e.Evidence).Distinct(StringComparer.Ordinal).Count() < 2) return;
        io.Error.WriteLine("warning: the runs' layer boundaries come from different kinds of evidence (" +
            string.Join(", ", evidence.Select(e => $"run {e.Run}: {e.Evidence}")) +
            "); per-layer differences may come from where layers were cut (llmpipe runs shows layer_evidence)");
    }

    private static (string Sql, Dictionary<string, object?> Parameters) BuildSql(Source s, IReadOnlyList<(long Run, int Device, int? Pass)> slots)
    {
        var p = new Dictionary<string, object?>();
        var labels = slots.Select(x => slots.Count(y => y.Run == x.Run) > 1 && x.Pass is int pass
            ? string.Create(CultureInfo.InvariantCulture, $"{x.Run}_pass{pass}") : x.Run.ToString(CultureInfo.InvariantCulture)).ToList();
        for (var i = 0; i < labels.Count; i++)
            if (labels.Take(i).Contains(labels[i])) labels[i] += string.Create(CultureInfo.InvariantCulture, $"_{i}");
        var extra = s.From == "kernel_summary" ? " AND scope = 'pass' AND grouping = 'name'" : "";
        var union = new List<string>();
        var eff = new List<string>();
        var efficiency = s.From == "run_layer_time" && s.KeyColumn == "layer_type";
        for (var i = 0; i < slots.Count; i++)
        {
            // --by layer-type: each layer type's MFU and MBU (layer_efficiency: the type's FLOPs and bytes over the sum
            // of its layers' wall times, against the GPU's dense peak of the dtype carrying most FLOPs and its bandwidth).
            eff.Add($"SELECT {i} AS slot, layer_type AS k, 100.0 * CAST(SUM(flops) AS DOUBLE) / (SUM(wall_us) * 1e6) / MAX(peak_tflops) AS mfu, "
                + $"100.0 * CAST(SUM(bytes) AS DOUBLE) / (SUM(wall_us) * 1e3) / MAX(peak_gbps) AS mbu FROM layer_efficiency "
                + $"WHERE run_id = @r{i} AND device = @d{i} AND pass_idx = @p{i} GROUP BY layer_type");
            p[$"r{i}"] = slots[i].Run;
            p[$"d{i}"] = slots[i].Device;
            p[$"p{i}"] = slots[i].Pass;
            union.Add($"SELECT {i} AS slot, {s.Key} AS k, {s.Value} AS v FROM {s.From} WHERE run_id = @r{i} AND device = @d{i}"
                + (s.PerPass ? $" AND pass_idx = @p{i}" : "") + extra);
        }
        string V(int i) => s.Additive ? $"COALESCE(v{i}, 0)" : $"v{i}";
        var sb = new StringBuilder();
        sb.Append("WITH src AS (").Append(string.Join(" UNION ALL ", union)).Append("),\n");
        if (efficiency) sb.Append("eff AS (").Append(string.Join(" UNION ALL ", eff)).Append("),\n");
        sb.Append("keys AS (SELECT k FROM src GROUP BY k),\n");
        sb.Append("wide AS (SELECT keys.k");
        for (var i = 0; i < slots.Count; i++)
        {
            sb.Append($", (SELECT SUM(v) FROM src WHERE src.k = keys.k AND src.slot = {i}) AS v{i}");
            if (efficiency)
                sb.Append($", (SELECT ROUND(mfu, 1) FROM eff WHERE eff.k = keys.k AND eff.slot = {i}) AS mfu{i}")
                  .Append($", (SELECT ROUND(mbu, 1) FROM eff WHERE eff.k = keys.k AND eff.slot = {i}) AS mbu{i}");
        }
        sb.Append(" FROM keys)\n");
        sb.Append($"SELECT k AS {s.KeyColumn}");
        for (var i = 0; i < slots.Count; i++) sb.Append($", {V(i)} AS run_{labels[i]}_us");
        for (var i = 1; i < slots.Count; i++)
            sb.Append($", {V(i)} - {V(0)} AS diff_{labels[i]}_us, CAST({V(i)} AS REAL) / NULLIF({V(0)}, 0) AS ratio_{labels[i]}");
        if (efficiency)
            for (var i = 0; i < slots.Count; i++) sb.Append($", mfu{i} AS mfu_{labels[i]}_pct, mbu{i} AS mbu_{labels[i]}_pct");
        var diffs = Enumerable.Range(1, slots.Count - 1).Select(i => $"COALESCE(ABS({V(i)} - {V(0)}), 0)").ToList();
        sb.Append("\nFROM wide ORDER BY ").Append(diffs.Count == 1 ? diffs[0] : $"MAX({string.Join(", ", diffs)})").Append(" DESC, k");
        return (sb.ToString(), p);
    }
}
