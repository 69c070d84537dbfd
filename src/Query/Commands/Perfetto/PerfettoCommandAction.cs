using System.CommandLine;
using System.Globalization;
using Dapper;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Perfetto;

/// <summary>Runs <c>llmpipe perfetto</c>.</summary>
public static class PerfettoCommandAction
{
    /// <summary>The table's default columns; in a table the links follow it, one per line (<c>[1]</c>, <c>[2]</c>…).</summary>
    public static readonly DefaultColumns Defaults = new(
        ["kind", "pass_idx", "layer_idx", "layer_type", "start_s", "duration_ms", "url"], ["end_s"]);

    /// <summary>Prints pass ranges (and layer ranges of one pass), then serves the trace when <c>--serve</c> is given.</summary>
    /// <exception cref="UsageException"><c>--layers</c> is not a comma-separated list of integers.</exception>
    public static int Run(PerfettoCommandDefinition def, ParseResult parse, CliIO io)
    {
        var layers = ParseLayers(parse.GetValue(def.Layers));
        var passOption = parse.GetValue(def.Options.Pass);
        using var db = def.Options.OpenDatabase(parse);
        var run = db.RequireRun(def.Options.RunId(parse));
        var device = db.ResolveDevice(run, parse.GetValue(def.Options.Device));
        var phase = parse.GetValue(def.Options.Phase);
        int? pass = passOption is not null || layers is not null ? PassScope.ResolvePass(db, run, device, passOption, phase, io.Error) : null;
        var phasePasses = PassScope.PassesOfPhase(db, run, device, phase);
        if (pass is int p && layers is not null)
            foreach (var layer in layers) db.RequireLayer(run, device, p, layer);
        var table = db.Query($"""
            SELECT kind, pass_idx, layer_idx, layer_type, start_s, end_s, duration_ms, perfetto_start_ns, perfetto_end_ns, url
            FROM perfetto_ranges
            WHERE run_id = @run AND device = @device
              AND ((kind = 'pass' AND pass_idx IN @phasePasses) OR (kind = 'layer' AND pass_idx = @pass {(layers is null ? "" : "AND layer_idx IN @layers")}))
            ORDER BY CASE kind WHEN 'pass' THEN 0 ELSE 1 END, pass_idx, layer_idx
            """, new { run, device, pass, layers, phasePasses });
        def.Options.Render(table, parse, io.Output, Defaults);
        if (!parse.GetValue(def.Serve)) return ExitCodes.Ok;

        var source = db.Connection.ExecuteScalar<string>("SELECT source_path FROM runs WHERE run_id = @run", new { run })!;
        if (!File.Exists(source))
            throw new QueryException($"{source}: the trace file of run {run} is not there any more; copy it back to serve it");
        io.Output.Flush();
        using var server = TraceFileServer.Start(source, TraceFileServer.PerfettoPort);
        io.Error.WriteLine($"serving {source} on {server.FileUrl} for https://ui.perfetto.dev (Ctrl+C stops)");
        using var stop = new ManualResetEventSlim();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; stop.Set(); };
        Console.CancelKeyPress += onCancel;
        try { stop.Wait(); }
        finally { Console.CancelKeyPress -= onCancel; }
        return ExitCodes.Ok;
    }

    /// <summary>Parses <c>a,b,c</c> into layer numbers; null for null.</summary>
    /// <exception cref="UsageException">An element is not a non-negative integer.</exception>
    public static int[]? ParseLayers(string? text)
    {
        if (text is null) return null;
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var result = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out result[i]))
                throw new UsageException($"--layers '{text}': '{parts[i]}' is not a layer number (use e.g. --layers 0,3,60)");
        if (result.Length == 0) throw new UsageException("--layers needs at least one layer number");
        return result;
    }
}
