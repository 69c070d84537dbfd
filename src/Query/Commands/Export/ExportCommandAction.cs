using System.CommandLine;
using LlmPipeline.Query.Cli;
using LlmPipeline.Query.Export;

namespace LlmPipeline.Query.Commands.Export;

/// <summary>Runs <c>llmpipe export</c>.</summary>
public static class ExportCommandAction
{
    /// <summary>Checks the runs, writes every partition, and prints one summary line.</summary>
    public static int Run(ExportCommandDefinition def, ParseResult parse, CliIO io)
    {
        using var db = ReportDatabase.Open(parse.GetValue(def.Db)!);
        var runs = (parse.GetValue(def.Runs) ?? []).Distinct().ToList();
        foreach (var run in runs) db.RequireRun(run);
        IPartitionWriter writer = parse.GetValue(def.Format) switch
        {
            "csv" => new CsvPartitionWriter(),
            "jsonl" => new JsonlPartitionWriter(),
            _ => new ParquetPartitionWriter(),
        };
        var outDir = parse.GetValue(def.Out)!;
        try
        {
            Directory.CreateDirectory(outDir);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new QueryException($"cannot create --out folder '{outDir}': {ex.Message}; choose a writable folder");
        }
        var summary = DatabaseExporter.Export(db.Connection, writer, outDir, runs);
        var relations = summary.Files.Select(f => f.RelativePath.Split(Path.DirectorySeparatorChar)[0]).Distinct().Count();
        io.Output.WriteLine($"exported {relations} tables and views, {summary.Files.Count} files, {summary.Files.Sum(f => f.Rows)} rows to {outDir}");
        return ExitCodes.Ok;
    }
}
