using LlmPipeline.Analysis.Warnings;
using LlmPipeline.Query.Commands.Warnings;
using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Query.Tests.Toolbox;

/// <summary>`llmpipe warnings --kinds`, docs/warnings.md, and the catalogue's advice in `llmpipe warnings --run` (issue 18).</summary>
public sealed class WarningKindsCommandTests
{
    [Fact]
    public void Docs_warnings_md_equals_the_kinds_command_output()
    {
        var r = Llmpipe.Run("warnings", "--kinds", "--format", "markdown");
        Assert.Equal(0, r.ExitCode);
        var path = Path.Combine(SharedData.RepoRoot, "docs", "warnings.md");
        var onDisk = File.Exists(path) ? File.ReadAllText(path).Replace("\r\n", "\n") : "(missing)";
        Assert.True(onDisk == r.Stdout,
            $"docs/warnings.md is stale (the warning catalogue in src/Analysis/Warnings changed). Regenerate it from the repository root with:\n  {WarningKindsDocument.RegenerateCommand}");
        foreach (var k in WarningCatalog.All)
            Assert.Contains($"| `{k.Code}` | {WarningCatalog.Label(k.Severity)} | ", r.Stdout);
    }

    [Fact]
    public void Kinds_table_fits_100_columns_and_gives_every_kind_with_what_to_do()
    {
        var r = Llmpipe.Run("warnings", "--kinds");
        Assert.Equal(0, r.ExitCode);
        var lines = r.Stdout.Split('\n');
        Assert.All(lines, l => Assert.True(l.Length <= 100, $"{l.Length} characters: {l}"));
        Assert.Equal("kind                        severity   meaning", lines[0]);
        var first = lines.Where(l => l.Length > 0 && l[0] != ' ' && l[0] != '-').Skip(1).Select(l => l.Split(' ')[0]).ToList();
        Assert.Equal(WarningCatalog.All.Select(k => k.Code), first);
        Assert.Equal(69, lines.Count(l => l.Contains("What to do: ", StringComparison.Ordinal)));
        Assert.Contains("trailing_comma              repair     A comma stood before `]` or `}`, where JSON allows none; it", lines);
    }

    [Fact]
    public void Kinds_csv_and_json_give_every_field_of_every_kind()
    {
        var csv = Parse.Csv(Llmpipe.Run("warnings", "--kinds", "--format", "csv").Stdout);
        Assert.Equal(69, csv.Count);
        Assert.Equal(["kind", "severity", "stage", "meaning", "what_to_do", "source"], csv[0].Keys);
        var zero = csv.Single(r => r["kind"] == "kernel_zero_ts");
        Assert.Equal(("set_aside", "normalizing"), (zero["severity"], zero["stage"]));
        Assert.Equal(WarningCatalog.KernelZeroTs.WhatToDo, zero["what_to_do"]);
        Assert.EndsWith("https://github.com/pytorch/kineto/issues/109. See docs/messy-traces.md#b16.", zero["source"]);
        Assert.Equal(11, csv.Count(r => r["stage"] == "segmentation"));

        var json = Parse.Json(Llmpipe.Run("warnings", "--kinds", "--format", "json").Stdout);
        Assert.Equal(69, json.GetArrayLength());
        var partial = json.EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "partial_pass");
        Assert.Equal("info", partial.GetProperty("severity").GetString());
        Assert.Equal(WarningCatalog.PartialPass.Meaning, partial.GetProperty("meaning").GetString());
    }

    [Fact]
    public void Warnings_of_a_run_give_each_kind_its_severity_and_what_to_do()
    {
        using var db = new FixtureDatabase();
        db.Execute("INSERT INTO ingest_warnings (run_id, kind, count, first_byte_offset, detail) VALUES (1, 'kind_of_another_version', 3, NULL, 'kept')");
        var rows = Parse.Csv(db.Run("warnings", "--run", "1", "--format", "csv").Stdout);
        Assert.Equal(["kind", "severity", "count", "first_byte_offset", "detail", "what_to_do"], rows[0].Keys);
        var comma = rows.Single(r => r["kind"] == "trailing_comma");
        Assert.Equal(("repair", "2", "5120"), (comma["severity"], comma["count"], comma["first_byte_offset"]));
        Assert.Equal("Nothing. Give --strict to refuse such files instead.", comma["what_to_do"]);
        // A kind the catalogue does not know (written by another version) is listed as stored, without advice.
        var other = rows.Single(r => r["kind"] == "kind_of_another_version");
        Assert.Equal(("", "3", ""), (other["severity"], other["count"], other["what_to_do"]));
    }

    [Fact]
    public void Warnings_needs_either_a_run_or_kinds()
    {
        using var db = new FixtureDatabase();
        var neither = db.Run("warnings");
        Assert.Equal(2, neither.ExitCode);
        Assert.Contains("give --run ID (see 'llmpipe runs'), or --kinds to list every warning kind", neither.Stderr);
        var both = db.Run("warnings", "--run", "1", "--kinds");
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("not both", both.Stderr);
    }
}
