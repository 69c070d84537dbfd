namespace LlmPipeline.Query.Commands.Schema;

/// <summary>One documented column of a table or view.</summary>
/// <param name="Name">Column name.</param>
/// <param name="Type">SQLite type: INTEGER, REAL or TEXT (see <see cref="SchemaCatalog"/> for how a view column's type is found).</param>
/// <param name="Unit">Unit from the name's suffix (<c>ns</c>, <c>µs</c>, <c>ms</c>, <c>s</c>, <c>%</c>, <c>bytes</c>), empty when none.</param>
/// <param name="Meaning">The column's comment in sql/schema.sql or the view file's header; empty when undocumented.</param>
public sealed record ColumnDoc(string Name, string Type, string Unit, string Meaning);
