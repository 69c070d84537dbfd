using System.CommandLine;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Anchors;

/// <summary>Runs <c>llmpipe anchors</c>.</summary>
public static class AnchorsCommandAction
{
    /// <summary>
    /// Prints the run's anchor candidates, the chosen one first, then by coverage: the simplified name first (readable in
    /// a table), the full kernel name (what <c>--anchor-kernel</c> matches) last.
    /// </summary>
    /// <summary>The table's default columns; the full <c>name</c> (what <c>--anchor-kernel</c> matches) is in <c>--wide</c>.</summary>
    public static readonly DefaultColumns Defaults = new(
        ["chosen", "simplified_name", "per_layer", "occurrences", "regularity", "coverage", "implied_layers"],
        ["device"]);

    /// <summary>Prints the candidates (see the class summary).</summary>
    public static int Run(AnchorsCommandDefinition def, ReportDatabase db, ParseResult parse, CliIO io)
    {
        var run = db.RequireRun(parse.GetValue(def.Run)!.Value);
        var device = parse.GetValue(def.Device);
        if (device is not null) db.ResolveDevice(run, device);
        var table = db.Query("""
            SELECT a.device, a.chosen, COALESCE(n.simplified_name, a.name) AS simplified_name, a.per_layer, a.occurrences,
                   CAST(a.occurrences AS REAL)
                       / NULLIF((SELECT COUNT(*) FROM passes AS p WHERE p.run_id = a.run_id AND p.device = a.device), 0)
                       AS occurrences_per_pass,
                   a.regularity, a.coverage, a.implied_layers, a.name
            FROM anchor_candidates AS a
            LEFT JOIN kernel_names AS n ON n.name = a.name
            WHERE a.run_id = @run AND (@device IS NULL OR a.device = @device)
            ORDER BY a.device, a.chosen DESC, a.coverage DESC, a.occurrences DESC, a.name
            """, new { run, device });
        if (table.Rows.Count == 0)
            io.Error.WriteLine($"run {run} has no anchor candidates recorded (an explicit --anchor-kernel or a profile anchor skips detection)");
        def.Options.Render(table, parse, io.Output, Defaults);
        return ExitCodes.Ok;
    }
}
