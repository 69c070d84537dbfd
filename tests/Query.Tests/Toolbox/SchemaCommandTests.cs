using LlmPipeline.Query.Commands.Schema;
using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using Microsoft.Data.Sqlite;
using Xunit;

namespace LlmPipeline.Query.Tests.Toolbox;

/// <summary>`llmpipe schema` and docs/schema.md (issue 8: docs that cannot drift).</summary>
public sealed class SchemaCommandTests : IClassFixture<SampleDatabaseFixture>
{
    private readonly SampleDatabaseFixture _sample;

    public SchemaCommandTests(SampleDatabaseFixture sample) => _sample = sample;

    [Fact]
    public void Docs_schema_md_equals_the_schema_command_output()
    {
        var r = Llmpipe.Run("schema", "--format", "markdown");
        Assert.Equal(0, r.ExitCode);
        var path = Path.Combine(SharedData.RepoRoot, "docs", "schema.md");
        var onDisk = File.Exists(path) ? File.ReadAllText(path).Replace("\r\n", "\n") : "(missing)";
        Assert.True(onDisk == r.Stdout,
            $"docs/schema.md is stale (sql/schema.sql or a view file changed). Regenerate it from the repository root with:\n  {SchemaDocument.RegenerateCommand}");
    }

    [Fact]
    public void Schema_documents_every_column_of_every_table_and_public_view()
    {
        var relations = SchemaCatalog.Load();
        var undocumented = relations.SelectMany(r => r.Columns.Where(c => c.Meaning.Length == 0).Select(c => $"{r.Name}.{c.Name}")).ToList();
        Assert.True(undocumented.Count == 0, "columns without a comment in sql/schema.sql or the view header: " + string.Join(", ", undocumented));
        Assert.Contains(relations, r => r.Name == "kernel_rows" && r.Kind == "table");
        Assert.Contains(relations, r => r.Name == "kernels" && r.Kind == "view");
        Assert.Contains(relations, r => r.Name == "pass_timeline" && r.Kind == "view");
        Assert.DoesNotContain(relations, r => r.Name.StartsWith('_'));
    }

    [Fact]
    public void Schema_gives_type_unit_and_meaning_of_a_view_column()
    {
        var pass = SchemaCatalog.Load().Single(r => r.Name == "pass_timeline");
        var duration = pass.Columns.Single(c => c.Name == "duration_ms");
        Assert.Equal(new ColumnDoc("duration_ms", "REAL", "ms", "end - start, milliseconds (the Duration of the llm-pipeline-analysis all-passes table)"), duration);
        Assert.Equal("INTEGER", pass.Columns.Single(c => c.Name == "pass_idx").Type);
        Assert.Equal("ns", SchemaCatalog.Load().Single(r => r.Name == "kernels").Columns.Single(c => c.Name == "ts_ns").Unit);
    }

    [Fact]
    public void Schema_json_is_one_document_with_tables_and_views()
    {
        var r = Llmpipe.Run("schema", "--format", "json");
        Assert.Equal(0, r.ExitCode);
        var doc = Parse.Json(r.Stdout);
        var kernels = doc.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "kernel_rows");
        var dur = kernels.GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "dur_ns");
        Assert.Equal("INTEGER", dur.GetProperty("type").GetString());
        Assert.Equal("duration, ns", dur.GetProperty("meaning").GetString());
        Assert.Contains(doc.GetProperty("views").EnumerateArray(), v => v.GetProperty("name").GetString() == "layer_detail");
    }

    [Fact]
    public void Documented_types_match_the_values_of_a_real_database()
    {
        // Every non-NULL value SQLite returns for a column has the documented storage class (REAL may hold integers).
        using var connection = new SqliteConnection($"Data Source={_sample.Path};Mode=ReadOnly");
        connection.Open();
        var mismatches = new List<string>();
        foreach (var relation in SchemaCatalog.Load())
        {
            foreach (var column in relation.Columns)
            {
                using var cmd = connection.CreateCommand();
                cmd.CommandText = $"SELECT DISTINCT typeof(\"{column.Name}\") FROM \"{relation.Name}\" WHERE \"{column.Name}\" IS NOT NULL";
                using var reader = cmd.ExecuteReader();
                while (reader.Read())
                {
                    var actual = reader.GetString(0);
                    var ok = (column.Type, actual) switch
                    {
                        ("INTEGER", "integer") or ("REAL", "real") or ("REAL", "integer") or ("TEXT", "text") => true,
                        _ => false,
                    };
                    if (!ok) mismatches.Add($"{relation.Name}.{column.Name}: documented {column.Type}, holds {actual}");
                }
            }
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }
}
