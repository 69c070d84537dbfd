using System.Diagnostics;
using LlmPipeline.Ingest.Storage;
using Microsoft.Data.Sqlite;
using Xunit;

namespace LlmPipeline.Query.Tests.Toolbox;

/// <summary>
/// Every view runs in the plain `sqlite3` program (Debian 12: 3.40), so any SQLite tool can open a database written
/// by LlmPipeline (docs/reports.md; issue 8). The program is installed by scripts/install-deps.sh.
/// </summary>
public sealed class SqliteProgramTests : IClassFixture<SampleDatabaseFixture>
{
    private readonly SampleDatabaseFixture _sample;

    public SqliteProgramTests(SampleDatabaseFixture sample) => _sample = sample;

    public static TheoryData<string> ViewNames()
    {
        var data = new TheoryData<string>();
        foreach (var (name, _) in SqlResources.Views) data.Add(name);
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(ViewNames))]
    public void View_runs_in_the_sqlite3_program(string view)
    {
        var (code, stdout, stderr) = Sqlite3(_sample.Path, $"SELECT * FROM \"{view}\" LIMIT 5;");
        Assert.True(code == 0, $"sqlite3 failed on view {view}: {stderr}");
        Assert.Equal("", stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using var connection = new SqliteConnection($"Data Source={_sample.Path};Mode=ReadOnly");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT COUNT(*) FROM (SELECT * FROM \"{view}\" LIMIT 5)";
        var expected = Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(lines.Length == expected, $"view {view}: sqlite3 printed {lines.Length} rows, Microsoft.Data.Sqlite reads {expected}:\n{stdout}");
    }

    [SkippableFact]
    public void Sqlite3_program_reads_the_pass_duration_the_view_defines()
    {
        // The sample has one decode pass; its duration equals (end_ns - start_ns) / 1e6 from the passes table.
        var (code, stdout, stderr) = Sqlite3(_sample.Path,
            "SELECT COUNT(*), MIN(abs(t.duration_ms - (p.end_ns - p.start_ns) / 1e6) < 1e-9) FROM pass_timeline t JOIN passes p USING (run_id, device, pass_idx) WHERE t.run_id = 1;");
        Assert.True(code == 0, stderr);
        Assert.Equal("1|1", stdout.Trim());
    }

    private static (int Code, string Stdout, string Stderr) Sqlite3(string db, string sql)
    {
        const string program = "sqlite3";
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-readonly");
        psi.ArgumentList.Add(db);
        psi.ArgumentList.Add(sql);
        Process process;
        try
        {
            process = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new SkipException($"skipped: the sqlite3 program is not installed ({ex.Message}); scripts/install-deps.sh installs it (Debian's sqlite3 3.40)");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout.Result, stderr);
        }
    }
}
