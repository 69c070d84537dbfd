using System.CommandLine;
using LlmPipeline.Analysis.Warnings;
using LlmPipeline.Query.Cli;
using LlmPipeline.Query.Output;

namespace LlmPipeline.Query.Commands.Warnings;

/// <summary>Runs <c>llmpipe warnings</c>.</summary>
public static class WarningsCommandAction
{
    /// <summary>The default columns of a run's warnings (<c>--wide</c> adds first_byte_offset and what_to_do).</summary>
    public static readonly DefaultColumns Defaults = new(["kind", "severity", "count", "detail"]);

    /// <summary>
    /// Prints the run's ingest warnings by kind (kind, severity, count, first_byte_offset, detail, what_to_do), or with
    /// <c>--kinds</c> the warning catalogue (<see cref="WarningKindsDocument"/>).
    /// </summary>
    /// <exception cref="UsageException">Neither or both of <c>--run</c> and <c>--kinds</c>.</exception>
    public static int Run(WarningsCommandDefinition def, ParseResult parse, CliIO io)
    {
        var format = OutputFormats.Parse(parse.GetValue(def.Format)!);
        var runOption = parse.GetValue(def.Run);
        if (parse.GetValue(def.Kinds))
        {
            if (runOption is not null) throw new UsageException("give --run ID (a run's warnings) or --kinds (every kind), not both");
            WarningKindsDocument.Write(format, io.Output);
            return ExitCodes.Ok;
        }
        if (runOption is not long runId) throw new UsageException("give --run ID (see 'llmpipe runs'), or --kinds to list every warning kind");
        using var db = ReportDatabase.Open(parse.GetValue(def.Db)!);
        var run = db.RequireRun(runId);
        var stored = db.Query(
            "SELECT kind, count, first_byte_offset, detail FROM ingest_warnings WHERE run_id = @run ORDER BY kind",
            new { run });
        var rows = stored.Rows.Select(r =>
        {
            // A kind the catalogue does not know (a database written by another version) is listed without advice.
            var kind = WarningCatalog.Find((string)r[0]!);
            return new object?[] { r[0], kind is null ? null : WarningCatalog.Label(kind.Severity), r[1], r[2], r[3], kind?.WhatToDo };
        }).ToList();
        var table = new ResultTable(["kind", "severity", "count", "first_byte_offset", "detail", "what_to_do"], rows);
        ColumnSelection.Parse(parse.GetValue(def.Columns), parse.GetValue(def.Wide)).Render(table, format, io.Output, Defaults);
        return ExitCodes.Ok;
    }
}
