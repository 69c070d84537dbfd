using System.CommandLine;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Export;

/// <summary><c>llmpipe export --format parquet|csv|jsonl --out DIR [--run ID]...</c>: every table and view, partitioned by run.</summary>
public sealed class ExportCommandDefinition
{
    /// <summary>Builds the command.</summary>
    public ExportCommandDefinition()
    {
        Command = new Command("export", """
            Export every table and view for engines beyond one machine (DuckDB, Spark, Trino, pandas), partitioned
            Hive-style by run: DIR/<table>/run_id=N/part-0.parquet (kernel_names, launch_contexts and captures,
            which have no run_id, go to DIR/<table>/part-0.parquet). Column types follow 'llmpipe schema':
            INTEGER -> INT64 (ns exact), REAL -> DOUBLE, TEXT -> string. Exporting more runs into the same DIR adds or
            replaces their partitions.

            Examples:
              llmpipe export --out lake --db traces.db
              llmpipe export --format csv --out csv-out --run 3 --run 4
              duckdb -c "SELECT * FROM read_parquet('lake/pass_timeline/*/*.parquet', hive_partitioning=1)"
            """) { Format, Out, Runs, Db };
        CommandRunner.SetAction(Command, (parse, io) => ExportCommandAction.Run(this, parse, io));
    }

    /// <summary>The command.</summary>
    public Command Command { get; }

    /// <summary><c>--format parquet|csv|jsonl</c>.</summary>
    public Option<string> Format { get; } = CreateFormat();

    /// <summary><c>--out DIR</c>.</summary>
    public Option<string> Out { get; } = new("--out", "-o") { Description = "Output folder (created when absent)", HelpName = "DIR", Required = true };

    /// <summary><c>--run ID</c>, repeatable.</summary>
    public Option<long[]> Runs { get; } = CommonOptions.RunList("Runs to export, repeated or comma-separated [default: every run]", required: false);

    /// <summary><c>--db</c>.</summary>
    public Option<string> Db { get; } = CommonOptions.Db();

    private static Option<string> CreateFormat()
    {
        var option = new Option<string>("--format")
        {
            Description = "File format: parquet, csv or jsonl",
            HelpName = "FORMAT",
            DefaultValueFactory = _ => "parquet",
        };
        option.AcceptOnlyFromAmong("parquet", "csv", "jsonl");
        return option;
    }
}
