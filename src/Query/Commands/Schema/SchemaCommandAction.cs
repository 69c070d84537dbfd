using System.CommandLine;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Schema;

/// <summary>Runs <c>llmpipe schema</c>.</summary>
public static class SchemaCommandAction
{
    /// <summary>Writes the schema documentation to the output.</summary>
    public static int Run(SchemaCommandDefinition def, ParseResult parse, CliIO io)
    {
        var relations = SchemaCatalog.Load();
        io.Output.Write(parse.GetValue(def.Format) == "json"
            ? SchemaDocument.Json(relations)
            : SchemaDocument.Markdown(relations, SchemaCatalog.Indexes()));
        return ExitCodes.Ok;
    }
}
