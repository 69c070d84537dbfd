using Dapper;
using LlmPipeline.Query.Output;

namespace LlmPipeline.Query.Cli;

/// <summary>
/// What the action of a <see cref="PassReportCommandDefinition"/> works with: the report database (open read-only;
/// the definition disposes it), the run, device and pass resolved from the options, and where and how to print.
/// </summary>
/// <param name="Db">The <c>--db</c> database.</param>
/// <param name="Scope">The run, device and pass (<see cref="PassReportOptions.ResolveScope"/>).</param>
/// <param name="Format">The <c>--format</c>.</param>
/// <param name="IO">Results to <see cref="CliIO.Output"/>, notes to <see cref="CliIO.Error"/>.</param>
/// <param name="Columns">The <c>--columns</c> / <c>--wide</c> choice.</param>
public sealed record PassReportContext(ReportDatabase Db, PassScope Scope, OutputFormat Format, CliIO IO, ColumnSelection Columns)
{
    /// <summary>Runs <paramref name="sql"/> (which filters on <see cref="PassScope.Filter"/>) with the scope's parameters.</summary>
    public ResultTable Query(string sql) => Db.Query(sql, Scope.Parameters);

    /// <summary>
    /// The cells of a pivot (<see cref="Pivot.Widen"/>) from <paramref name="sql"/> (run with the scope's parameters),
    /// whose three columns are the row key, the column name (a category group) and the value.
    /// </summary>
    public List<(object? Key, string Name, object? Value)> Cells(string sql) =>
        Query(sql).Rows.Select(r => (r[0], (string)r[1]!, r[2])).ToList();

    /// <summary>
    /// The category groups of the scope in <paramref name="view"/> (a view with <c>run_id</c>, <c>device</c>,
    /// <c>pass_idx</c>, <c>category_group</c> and <c>time_us</c> columns), most summed time first, ties by name: the
    /// order of a report's per-group columns.
    /// </summary>
    public List<string> GroupsByTime(string view) => Db.Connection.Query<string>(
        $"SELECT category_group FROM {view} WHERE {PassScope.Filter} GROUP BY category_group ORDER BY SUM(time_us) DESC, category_group",
        Scope.Parameters).ToList();

    /// <summary>Writes <paramref name="table"/> to <see cref="CliIO.Output"/> in <see cref="Format"/>; a <c>table</c> shows <paramref name="defaultColumns"/> unless <see cref="Columns"/> says otherwise.</summary>
    /// <exception cref="UsageException">An unknown <c>--columns</c> name.</exception>
    public void Render(ResultTable table, DefaultColumns? defaultColumns = null) => Columns.Render(table, Format, IO.Output, defaultColumns);
}
