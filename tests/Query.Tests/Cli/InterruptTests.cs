using LlmPipeline.Query.Cli;
using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using LlmPipeline.TraceGen;
using Xunit;

namespace LlmPipeline.Query.Tests.Cli;

/// <summary>
/// Ctrl-C during <c>llmpipe ingest</c> of three files (issue 21): the runs already stored stay and are named, the file
/// being read stores nothing, the files after it are not read, and the exit code is 130. The Ctrl-C arrives
/// in-process, through the <see cref="Interruption"/> the process's handler would use, when the progress display
/// (stderr as a terminal) first names the file to interrupt.
/// </summary>
public sealed class InterruptTests
{
    private static readonly TraceSpec Spec = new() { Shape = TraceShape.Generic, NumLayers = 2, Passes = 2, WorldSize = 1, IncludeCpuSide = false };

    /// <summary>Stderr as a terminal that presses Ctrl-C when a progress line first names <paramref name="file"/>.</summary>
    private sealed class CtrlCOnProgress(string file, Interruption interruption) : StringWriter
    {
        public override void Write(string? value)
        {
            if (value is not null && value.StartsWith($"\r{file}: ", StringComparison.Ordinal)) interruption.TryInterrupt();
            base.Write(value);
        }
    }

    private static (int Exit, string Stdout, string Stderr) Ingest(string interruptAt, params string[] args)
    {
        var interruption = new Interruption();
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new CtrlCOnProgress(interruptAt, interruption) { NewLine = "\n" };
        var exit = LlmpipeCli.Run(["ingest", .. args], stdout, stderr, stderrIsTerminal: true, interruption);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Ctrl_c_while_the_second_file_is_read_keeps_run_1_stores_nothing_of_it_and_reads_no_more()
    {
        using var dir = new TempDir();
        foreach (var (name, seed) in new[] { ("a.json", 1UL), ("b.json", 2UL), ("c.json", 3UL) })
            TraceWriter.WriteFile(Spec with { Seed = seed }, dir.File(name), gzip: false);
        var db = dir.File("x.db");
        var (exit, stdout, stderr) = Ingest("b.json", dir.File("a.json"), dir.File("b.json"), dir.File("c.json"), "--db", db);
        Assert.Equal(130, exit);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"{dir.File("a.json")}: ingested as run 1", lines[^3]);
        Assert.Equal($"{dir.File("b.json")}: interrupted while it was read; nothing of it stored", lines[^2]);
        Assert.Equal($"{dir.File("c.json")}: not read (interrupted before it)", lines[^1]);
        Assert.EndsWith($"\ninterrupted: run 1 stored (1 file); {dir.File("b.json")} interrupted while it was read; nothing of it stored; 1 file not read\n", stderr);
        Assert.Equal(["1"], Parse.Csv(Llmpipe.Run("sql", "SELECT run_id FROM runs", "--format", "csv", "--db", db).Stdout).Select(r => r["run_id"]));
    }

    [Fact]
    public void Ctrl_c_while_the_first_file_is_read_stores_nothing()
    {
        using var dir = new TempDir();
        TraceWriter.WriteFile(Spec, dir.File("a.json"), gzip: false);
        var db = dir.File("x.db");
        var (exit, stdout, stderr) = Ingest("a.json", dir.File("a.json"), "--db", db);
        Assert.Equal(130, exit);
        Assert.Equal($"{dir.File("a.json")}: interrupted while it was read; nothing of it stored\n", stdout);
        Assert.EndsWith($"\ninterrupted: no run stored; {dir.File("a.json")} interrupted while it was read; nothing of it stored\n", stderr);
        Assert.Equal("0", Parse.Csv(Llmpipe.Run("sql", "SELECT COUNT(*) AS n FROM runs", "--format", "csv", "--db", db).Stdout)[0]["n"]);
    }

    [Fact]
    public void Ctrl_c_ends_the_process_at_once_when_no_command_stops_cleanly()
    {
        var interruption = new Interruption();
        // No command watches: the handler lets the runtime end the process (exit 130, as before).
        Assert.False(interruption.TryInterrupt());
        using (interruption.Watch())
        {
            Assert.True(interruption.TryInterrupt());
            // A second Ctrl-C ends the process even while ingest stops.
            Assert.False(interruption.TryInterrupt());
        }
        Assert.True(interruption.Interrupted);
    }
}
