using System.CommandLine;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Top;

/// <summary>Runs <c>llmpipe top</c>.</summary>
public static class TopCommandAction
{
    /// <summary>The default columns by name (<c>--by category</c> shows every column).</summary>
    public static readonly DefaultColumns ByNameDefaults = new(
        ["simplified_name", "category", "kernel_count", "total_us", "mean_us", "share_pct"]);

    /// <summary>Prints <c>kernel_summary</c> rows of one scope, by total time descending.</summary>
    /// <exception cref="UsageException"><c>--pass</c> with <c>--all-passes</c>, or a negative <c>--limit</c>.</exception>
    public static int Run(TopCommandDefinition def, ParseResult parse, CliIO io)
    {
        var pass = parse.GetValue(def.Options.Pass);
        var all = parse.GetValue(def.AllPasses);
        if (pass is not null && all) throw new UsageException("--pass and --all-passes exclude each other");
        var phase = parse.GetValue(def.Options.Phase);
        if (phase is not null && all) throw new UsageException("--phase and --all-passes exclude each other (--phase picks the default pass of that phase)");
        var limit = parse.GetValue(def.Limit);
        if (limit < 0) throw new UsageException("--limit must be 0 (all) or more");
        var byName = parse.GetValue(def.By) == "name";
        using var db = def.Options.OpenDatabase(parse);
        var run = db.RequireRun(def.Options.RunId(parse));
        var device = db.ResolveDevice(run, parse.GetValue(def.Options.Device));
        int? passIdx = all ? null : PassScope.ResolvePass(db, run, device, pass, phase, io.Error);
        var key = byName ? "simplified_name, category, category_group" : "category, category_group";
        var table = db.Query($"""
            SELECT {key}, kernel_count, total_us, mean_us, min_us, max_us, share_pct
            FROM kernel_summary
            WHERE run_id = @run AND device = @device AND grouping = @grouping
              AND ((@pass IS NULL AND scope = 'run') OR (scope = 'pass' AND pass_idx = @pass))
            ORDER BY total_us DESC, {(byName ? "simplified_name" : "category")}
            {(limit > 0 ? "LIMIT @limit" : "")}
            """, new { run, device, grouping = byName ? "name" : "category", pass = passIdx, limit });
        def.Options.Render(table, parse, io.Output, byName ? ByNameDefaults : null);
        return ExitCodes.Ok;
    }
}
