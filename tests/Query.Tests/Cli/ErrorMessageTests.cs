using LlmPipeline.Query.Tests.Support;
using LlmPipeline.Query.Tests.Toolbox;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Query.Tests.Cli;

/// <summary>
/// Errors are said once, in words (issue 21): each message whole, with its exit code (1 error, 2 usage error). The
/// sample database (the shipped SGLang trace, runs 1 and 2) gives the commands something to read.
/// </summary>
public sealed class ErrorMessageTests : IClassFixture<SampleDatabaseFixture>
{
    private readonly SampleDatabaseFixture _sample;

    public ErrorMessageTests(SampleDatabaseFixture sample) => _sample = sample;

    [Fact]
    public void A_missing_trace_is_named_once_on_stderr_and_its_closing_line_says_failed()
    {
        using var dir = new TempDir();
        var missing = dir.File("missing.json");
        var r = Llmpipe.Run("ingest", missing, "--db", dir.File("x.db"), "--quiet");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"error: {missing}: trace file not found.\n", r.Stderr);
        Assert.Equal($"{missing}: failed\n", r.Stdout);
    }

    [Fact]
    public void A_pattern_that_matches_nothing_is_named_once_on_stderr()
    {
        using var dir = new TempDir();
        var pattern = Path.Combine(dir.Path, "*.json");
        var r = Llmpipe.Run("ingest", pattern, "--db", dir.File("x.db"), "--quiet");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"error: {pattern}: no trace files match\n", r.Stderr);
        Assert.Equal($"{pattern}: failed\n", r.Stdout);
    }

    [Theory]
    [InlineData("timeline --run abc", "error: --run: 'abc' is not an integer (expected --run ID)\nRun 'llmpipe timeline --help' for usage.\n")]
    [InlineData("layers --run 1 --pass 1.5", "error: --pass: '1.5' is not a whole number (expected --pass N)\nRun 'llmpipe layers --help' for usage.\n")]
    [InlineData("timeline --run 99999999999999999999", "error: --run: '99999999999999999999' is out of range (expected --run ID, from -9223372036854775808 to 9223372036854775807)\nRun 'llmpipe timeline --help' for usage.\n")]
    [InlineData("kernels --run 1 --layer 2147483648", "error: --layer: '2147483648' is out of range (expected --layer L, from -2147483648 to 2147483647)\nRun 'llmpipe kernels --help' for usage.\n")]
    [InlineData("top --run 1 --limit ten", "error: --limit: 'ten' is not an integer (expected --limit N)\nRun 'llmpipe top --help' for usage.\n")]
    [InlineData("runs tag abc k=v", "error: ID: 'abc' is not an integer (expected llmpipe runs tag ID KEY=VALUE)\nRun 'llmpipe runs tag --help' for usage.\n")]
    [InlineData("runs tga", "error: RUN: 'tga' is not an integer (expected llmpipe runs RUN, or a command: tag, label, rm); did you mean 'tag'?\nRun 'llmpipe runs --help' for usage.\n")]
    [InlineData("timeline --format xml", "error: --format: 'xml' is not one of csv, json, markdown, table, text\nRun 'llmpipe timeline --help' for usage.\n")]
    [InlineData("timeline --format jsn", "error: --format: 'jsn' is not one of csv, json, markdown, table, text; did you mean 'json'?\nRun 'llmpipe timeline --help' for usage.\n")]
    [InlineData("efficiency --run", "error: --run needs a value (--run ID)\nRun 'llmpipe efficiency --help' for usage.\n")]
    public void Option_values_are_parsed_with_a_message_naming_the_option_and_its_form(string line, string stderr)
    {
        var r = Llmpipe.Run([.. line.Split(' '), .. line.StartsWith("efficiency", StringComparison.Ordinal) ? Array.Empty<string>() : ["--db", _sample.Path]]);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal(stderr, r.Stderr);
        Assert.Equal("", r.Stdout);
    }

    [Theory]
    [InlineData("timelin", "error: unknown command 'timelin'; did you mean 'timeline'?\nRun 'llmpipe --help' for usage.\n")]
    [InlineData("tiemline", "error: unknown command 'tiemline'; did you mean 'timeline'?\nRun 'llmpipe --help' for usage.\n")]
    [InlineData("frobnicate", "error: unknown command 'frobnicate'\nRun 'llmpipe --help' for usage.\n")]
    [InlineData("runs lable 1 x", "error: RUN: 'lable' is not an integer (expected llmpipe runs RUN, or a command: tag, label, rm); did you mean 'label'?\nerror: unexpected argument '1'\nerror: unexpected argument 'x'\nRun 'llmpipe runs --help' for usage.\n")]
    [InlineData("timeline --rn 1", "error: unknown option '--rn' for 'llmpipe timeline'; did you mean '--run'?\nRun 'llmpipe timeline --help' for usage.\n")]
    [InlineData("layers --run 1 --phse decode", "error: unknown option '--phse' for 'llmpipe layers'; did you mean '--phase'?\nRun 'llmpipe layers --help' for usage.\n")]
    [InlineData("timeline --frobnicate", "error: unknown option '--frobnicate' for 'llmpipe timeline'\nRun 'llmpipe timeline --help' for usage.\n")]
    public void Unknown_commands_and_options_are_usage_errors_with_did_you_mean(string line, string stderr)
    {
        var r = Llmpipe.Run(line.Split(' '));
        Assert.Equal(2, r.ExitCode);
        Assert.Equal(stderr, r.Stderr);
    }

    [Theory]
    [InlineData("runs tag", "error: missing ID KEY=VALUE (llmpipe runs tag ID KEY=VALUE)\nRun 'llmpipe runs tag --help' for usage.\n")]
    [InlineData("runs label 3", "error: missing TEXT (llmpipe runs label ID TEXT)\nRun 'llmpipe runs label --help' for usage.\n")]
    [InlineData("kernels", "error: --run is required (--run ID)\nerror: --layer is required (--layer L)\nRun 'llmpipe kernels --help' for usage.\n")]
    [InlineData("", "error: no command given; 'llmpipe' needs one of: ingest, runs, timeline, windows, layers, clusters, kernels, perfetto, top, anchors, compare, efficiency, skew, resegment, recategorize, warnings, profiles, sql, schema, export, report\nRun 'llmpipe --help' for usage.\n")]
    public void Missing_commands_options_and_arguments_are_named_with_their_form(string line, string stderr)
    {
        var r = Llmpipe.Run(line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(2, r.ExitCode);
        Assert.Equal(stderr, r.Stderr);
    }

    [Theory]
    [InlineData("PRAGMA journal_mode=DELETE")]
    [InlineData("PRAGMA journal_mode(DELETE)")]
    [InlineData("PRAGMA user_version = 7")]
    [InlineData("DELETE FROM runs")]
    public void Sql_without_write_refuses_a_writing_statement_before_running_it(string statement)
    {
        using var dir = new TempDir();
        var db = dir.File("ro.db");
        System.IO.File.Copy(_sample.Path, db);
        var r = Llmpipe.Run("sql", $"SELECT 1; {statement}", "--db", db);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"error: '{statement}' writes to {db}, which sql opens read-only; add --write to allow it\n", r.Stderr);
        // Nothing ran, not even the SELECT before it.
        Assert.Equal("", r.Stdout);
        Assert.Equal("2", Parse.Csv(Llmpipe.Run("sql", "SELECT COUNT(*) AS n FROM runs", "--format", "csv", "--db", db).Stdout)[0]["n"]);
    }

    [Fact]
    public void Sql_reads_pragmas_without_write_and_sets_them_with_write()
    {
        using var dir = new TempDir();
        var db = dir.File("rw.db");
        System.IO.File.Copy(_sample.Path, db);
        var read = Llmpipe.Run("sql", "PRAGMA user_version", "--format", "csv", "--db", db);
        Assert.True(read.ExitCode == 0, read.Stderr);
        var version = Parse.Csv(read.Stdout)[0]["user_version"];
        var set = Llmpipe.Run("sql", $"PRAGMA user_version = {version}", "--write", "--db", db);
        Assert.True(set.ExitCode == 0, set.Stderr);
        Assert.Equal(version, Parse.Csv(Llmpipe.Run("sql", "PRAGMA user_version", "--format", "csv", "--db", db).Stdout)[0]["user_version"]);
    }

    [Fact]
    public void Root_help_and_ingest_help_document_LLMPIPE_TMPDIR_and_the_exit_codes()
    {
        var root = Llmpipe.Run("--help").Stdout;
        Assert.Contains("Environment:", root);
        Assert.Contains("LLMPIPE_TMPDIR  folder for ingest's staging files", root);
        Assert.Contains("LLMPIPE_DB      database file used when --db is not given", root);
        Assert.Contains("Exit codes: 0 ok, 1 error, 2 usage error, 130 interrupted (Ctrl-C).", root);
        var ingest = Llmpipe.Run("ingest", "--help").Stdout;
        Assert.Contains("LLMPIPE_TMPDIR  folder for the staging files that hold a trace's CPU-side rows while it is", ingest);
        Assert.Contains("`LLMPIPE_TMPDIR` | folder of ingest's staging files", System.IO.File.ReadAllText(SharedData.RepoFile("README.md")));
    }
}
