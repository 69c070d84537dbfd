using System.CommandLine;
using LlmPipeline.Ingest.Storage;
using LlmPipeline.Query.Cli;
using LlmPipeline.Query.Output;
using Microsoft.Data.Sqlite;

namespace LlmPipeline.Query.Commands.Sql;

/// <summary>Runs <c>llmpipe sql</c>.</summary>
public static class SqlCommandAction
{
    private const int SqliteReadOnly = 8;

    /// <summary>Runs the SQL and prints every result set that has columns.</summary>
    /// <exception cref="UsageException">Neither or both of QUERY and <c>--file</c>.</exception>
    public static int Run(SqlCommandDefinition def, ParseResult parse, CliIO io)
    {
        var text = parse.GetValue(def.Query);
        var file = parse.GetValue(def.File);
        if (text is null == file is null)
            throw new UsageException("give the SQL either as the QUERY argument or with --file FILE, not both and not neither");
        if (file is not null)
        {
            if (!System.IO.File.Exists(file)) throw new QueryException($"{file}: no such SQL file");
            text = System.IO.File.ReadAllText(file);
        }
        var format = OutputFormats.Parse(parse.GetValue(def.Format)!);
        var path = parse.GetValue(def.Db)!;
        var write = parse.GetValue(def.Write);
        using var connection = write ? LlmDatabase.OpenForWrite(path) : LlmDatabase.OpenReadOnly(path);
        if (!write && WritingStatements.First(connection, text!) is { } writing)
            throw new QueryException($"'{writing}' writes to {path}, which sql opens read-only; add --write to allow it");
        var results = new List<ResultTable>();
        try
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = text;
            using var reader = cmd.ExecuteReader();
            do
            {
                if (reader.FieldCount > 0) results.Add(ResultTable.Read(reader));
            } while (reader.NextResult());
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteReadOnly && !write)
        {
            throw new QueryException($"the SQL writes to {path}, which sql opens read-only; add --write to allow it");
        }
        catch (SqliteException ex)
        {
            // "SQLite Error 1: 'near "SELEC": syntax error'." says SQLite's own message inside a prefix of its own.
            var message = System.Text.RegularExpressions.Regex.Match(ex.Message, @"^SQLite Error \d+: '(.*)'\.?$", System.Text.RegularExpressions.RegexOptions.Singleline);
            throw new QueryException($"SQL error: {(message.Success ? message.Groups[1].Value : ex.Message)}");
        }
        if (format == OutputFormat.Json && results.Count > 1)
            throw new QueryException($"{results.Count} statements return rows; --format json prints one result, so run them one at a time");
        for (var i = 0; i < results.Count; i++)
        {
            if (i > 0) io.Output.WriteLine();
            ResultRenderer.Render(results[i], format, io.Output);
        }
        return ExitCodes.Ok;
    }
}
