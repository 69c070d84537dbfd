using System.CommandLine;
using System.Text;
using LlmPipeline.Query.Cli;
using LlmPipeline.Query.Report;

namespace LlmPipeline.Query.Commands.Report;

/// <summary>Runs <c>llmpipe report</c>.</summary>
public static class ReportCommandAction
{
    /// <summary>Loads the run(s) from the views, renders the page and writes it to <c>--out</c>.</summary>
    public static int Run(ReportCommandDefinition def, ParseResult parse, CliIO io)
    {
        var dbPath = parse.GetValue(def.Db)!;
        using var db = ReportDatabase.Open(dbPath);
        var a = RunReportData.Load(db, parse.GetValue(def.Run)!.Value, parse.GetValue(def.Pass), io.Error);
        var b = parse.GetValue(def.Compare) is long other ? RunReportData.Load(db, other, null, io.Error) : null;
        var html = HtmlReport.Render(a, b, dbPath);
        var outPath = parse.GetValue(def.Out)!;
        try
        {
            File.WriteAllText(outPath, html, new UTF8Encoding(false));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DirectoryNotFoundException)
        {
            throw new QueryException($"cannot write {outPath}: {ex.Message}; choose another --out path");
        }
        io.Output.WriteLine($"wrote {outPath} ({html.Length / 1024} KiB); open it in a browser");
        return ExitCodes.Ok;
    }
}
