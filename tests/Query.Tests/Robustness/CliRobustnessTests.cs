using System.IO.Compression;
using System.Text;
using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Query.Tests.Robustness;

/// <summary>
/// <c>llmpipe ingest</c> run in-process: the one-line warnings summary, <c>llmpipe warnings</c>, <c>--strict</c> errors
/// with file, line, column and byte offset (decompressed stream for gzip), and disk or permission errors as a clear
/// message with exit code 1.
/// </summary>
public sealed class CliRobustnessTests
{
    private const string K1 = "{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"gemm_a\",\"pid\":0,\"tid\":7,\"ts\":1000,\"dur\":2,\"args\":{\"device\":0,\"stream\":7}}";
    private const string K2 = "{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"gemm_b\",\"pid\":0,\"tid\":7,\"ts\":1010,\"dur\":2,\"args\":{\"device\":0,\"stream\":7}}";
    private const string Trailing = "{\"traceEvents\":[\n" + K1 + ",\n" + K2 + ",\n]}";
    private static readonly int CommaAt = Trailing.IndexOf(",\n]", StringComparison.Ordinal);

    private static byte[] Gzip(string text)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(Encoding.UTF8.GetBytes(text));
        return ms.ToArray();
    }

    [Fact]
    public void Ingest_summary_counts_the_warnings_with_the_command_that_lists_them()
    {
        using var dir = new TempDir();
        var trace = dir.File("trail.json");
        File.WriteAllText(trace, Trailing);
        var r = Llmpipe.Run("ingest", trace, "--db", dir.File("x.db"), "--quiet");
        Assert.Equal(0, r.ExitCode);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("run 1: trail.json: 2 kernels", lines[0]);
        Assert.Matches(@"; \d+ warnings: llmpipe warnings --run 1 \([^)]*trailing_comma[^)]*\)$", lines[^2]);
        var w = Llmpipe.Run("warnings", "--run", "1", "--db", dir.File("x.db"), "--format", "csv");
        Assert.Equal(0, w.ExitCode);
        var row = Assert.Single(Parse.Csv(w.Stdout), x => x["kind"] == "trailing_comma");
        Assert.Equal("trailing_comma", row["kind"]);
        Assert.Equal("1", row["count"]);
        Assert.Equal(CommaAt.ToString(System.Globalization.CultureInfo.InvariantCulture), row["first_byte_offset"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Ingest_strict_fails_on_the_first_problem_naming_file_line_column_and_decompressed_byte_offset(bool gzip)
    {
        using var dir = new TempDir();
        var trace = dir.File(gzip ? "trail.json.gz" : "trail.json");
        File.WriteAllBytes(trace, gzip ? Gzip(Trailing) : Encoding.UTF8.GetBytes(Trailing));
        var r = Llmpipe.Run("ingest", trace, "--db", dir.File("x.db"), "--strict", "--quiet");
        Assert.Equal(1, r.ExitCode);
        Assert.DoesNotContain("ingested as run", r.Stdout);
        Assert.Contains($"{trace}: byte {CommaAt} (line 3, column {K2.Length + 1}): ", r.Stderr);
        Assert.Contains("strict", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
        // Nothing was written: the database holds no run.
        Assert.Contains("\"n\": 0", Llmpipe.Run("sql", "SELECT count(*) AS n FROM runs", "--db", dir.File("x.db"), "--format", "json").Stdout);
    }

    [Fact]
    public void Ingest_into_a_missing_directory_fails_with_a_clear_message()
    {
        using var dir = new TempDir();
        var trace = dir.File("t.json");
        File.WriteAllText(trace, Trailing);
        var db = Path.Combine(dir.Path, "no-such-dir", "x.db");
        var r = Llmpipe.Run("ingest", trace, "--db", db, "--quiet");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"error: {db}: directory '{Path.GetDirectoryName(db)}' does not exist; create it or choose another --db path.\n", r.Stderr);
    }

    [Fact]
    public void Ingest_into_a_database_path_that_is_a_directory_fails_with_a_clear_message()
    {
        using var dir = new TempDir();
        var trace = dir.File("t.json");
        File.WriteAllText(trace, Trailing);
        var db = dir.File("db-dir");
        Directory.CreateDirectory(db);
        var r = Llmpipe.Run("ingest", trace, "--db", db, "--quiet");
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith($"error: {db}: ", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.DoesNotContain("Exception", r.Stderr);
    }

    [SkippableFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Ingest_into_a_read_only_database_file_fails_with_a_clear_message_and_keeps_it()
    {
        Skip.If(OperatingSystem.IsWindows(), "unix file modes only");
        Skip.If(Environment.UserName == "root" || (OperatingSystem.IsLinux() && File.ReadAllText("/proc/self/status").Contains("\nUid:\t0\t", StringComparison.Ordinal)),
            "running as root: file permissions do not stop root from writing");
        using var dir = new TempDir();
        var trace = dir.File("t.json");
        File.WriteAllText(trace, Trailing);
        var db = dir.File("x.db");
        Assert.Equal(0, Llmpipe.Run("ingest", trace, "--db", db, "--quiet").ExitCode);
        var other = dir.File("u.json");
        File.WriteAllText(other, "[" + K1 + "]");
        File.SetUnixFileMode(db, UnixFileMode.UserRead);
        File.SetUnixFileMode(dir.Path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            var r = Llmpipe.Run("ingest", other, "--db", db, "--quiet");
            Assert.Equal(1, r.ExitCode);
            Assert.StartsWith($"error: {db}: ", r.Stderr);
            Assert.DoesNotContain("   at ", r.Stderr);
        }
        finally
        {
            File.SetUnixFileMode(dir.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.SetUnixFileMode(db, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [Fact]
    public void Sql_opens_read_only_without_write_and_leaves_every_table_unchanged()
    {
        using var dir = new TempDir();
        var trace = dir.File("t.json");
        File.WriteAllText(trace, Trailing);
        var db = dir.File("x.db");
        Assert.Equal(0, Llmpipe.Run("ingest", trace, "--db", db, "--quiet").ExitCode);
        var before = DatabaseSnapshot.Take(db);
        foreach (var sql in new[] { "DELETE FROM kernels", "UPDATE runs SET label = 'x'", "DROP TABLE kernel_rows", "CREATE TABLE t (x)" })
        {
            var r = Llmpipe.Run("sql", sql, "--db", db);
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("add --write", r.Stderr);
        }
        Assert.Equal(before, DatabaseSnapshot.Take(db));
        Assert.Equal(0, Llmpipe.Run("sql", "UPDATE runs SET label = 'x'", "--db", db, "--write").ExitCode);
        Assert.Equal(1, DatabaseSnapshot.Scalar(db, "SELECT count(*) FROM runs WHERE label = 'x'"));
    }
}
