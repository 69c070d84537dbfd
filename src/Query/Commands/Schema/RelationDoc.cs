namespace LlmPipeline.Query.Commands.Schema;

/// <summary>One table or view with its description and columns, in declaration order.</summary>
/// <param name="Name">Table or view name.</param>
/// <param name="Kind"><c>table</c> or <c>view</c>.</param>
/// <param name="Description">The comment above the <c>CREATE</c> (tables) or the header text before the column list (views).</param>
/// <param name="Columns">Every column SQLite reports for the relation, in order.</param>
public sealed record RelationDoc(string Name, string Kind, string Description, IReadOnlyList<ColumnDoc> Columns);
