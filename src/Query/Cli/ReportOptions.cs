using System.CommandLine;
using LlmPipeline.Query.Output;

namespace LlmPipeline.Query.Cli;

/// <summary>
/// The options every report command has, <c>--db</c>, <c>--format</c>, <c>--columns</c> and <c>--wide</c> (built by
/// <see cref="CommonOptions"/>, so their names, help texts and defaults are the same everywhere), with the reads every
/// report action makes of them: open the database read-only, and render a result table in the chosen format with the
/// chosen columns (<see cref="ColumnSelection"/>). <see cref="PassReportOptions"/> adds
/// the options of the per-pass reports. A command adds the options it offers, in its own order among its own ones.
/// </summary>
public class ReportOptions
{
    /// <summary>Builds <c>--db</c> and <c>--format</c>.</summary>
    /// <param name="extraFormats">Formats accepted beyond the report formats (<c>kernels</c>: <c>compute-flow</c>).</param>
    public ReportOptions(params string[] extraFormats) => Format = CommonOptions.Format(extraFormats);

    /// <summary><c>--db PATH</c> (default <c>$LLMPIPE_DB</c>, else <c>./llmpipe.db</c>).</summary>
    public Option<string> Db { get; } = CommonOptions.Db();

    /// <summary><c>--format FORMAT</c> (default <c>table</c>).</summary>
    public Option<string> Format { get; }

    /// <summary><c>--columns NAME[,NAME...]</c>.</summary>
    public Option<string?> Columns { get; } = CommonOptions.Columns();

    /// <summary><c>--wide</c>.</summary>
    public Option<bool> Wide { get; } = CommonOptions.Wide();

    /// <summary>The <c>--columns</c> / <c>--wide</c> choice.</summary>
    /// <exception cref="UsageException">Both given.</exception>
    public ColumnSelection ColumnSelection(ParseResult parse) => Cli.ColumnSelection.Parse(parse.GetValue(Columns), parse.GetValue(Wide));

    /// <summary>Opens the <c>--db</c> database read-only.</summary>
    /// <exception cref="LlmPipeline.Ingest.Storage.DatabaseException">Missing file, not a database, newer schema.</exception>
    public ReportDatabase OpenDatabase(ParseResult parse) => ReportDatabase.Open(parse.GetValue(Db)!);

    /// <summary>The <c>--format</c> name as given (a report format or an extra one).</summary>
    public string FormatName(ParseResult parse) => parse.GetValue(Format)!;

    /// <summary>The <c>--format</c> as a report format.</summary>
    /// <exception cref="ArgumentException">An extra format name (<c>compute-flow</c>), which is no report format.</exception>
    public OutputFormat OutputFormat(ParseResult parse) => OutputFormats.Parse(FormatName(parse));

    /// <summary>
    /// Sets <paramref name="command"/>'s action (<see cref="CommandRunner.SetAction"/>): opens the <c>--db</c> database
    /// read-only, runs <paramref name="action"/> with it and disposes it.
    /// </summary>
    public void SetAction(Command command, Func<ReportDatabase, ParseResult, CliIO, int> action) =>
        CommandRunner.SetAction(command, (parse, io) =>
        {
            using var db = OpenDatabase(parse);
            return action(db, parse, io);
        });

    /// <summary>
    /// Writes <paramref name="table"/> to <paramref name="output"/> in the <c>--format</c> given; a <c>table</c> shows
    /// <paramref name="defaultColumns"/> (null: every column) unless <c>--columns</c> or <c>--wide</c> say otherwise.
    /// </summary>
    /// <exception cref="UsageException">An unknown <c>--columns</c> name, or <c>--columns</c> with <c>--wide</c>.</exception>
    public void Render(ResultTable table, ParseResult parse, TextWriter output, DefaultColumns? defaultColumns = null) =>
        ColumnSelection(parse).Render(table, OutputFormat(parse), output, defaultColumns);
}
