using System.Reflection;
using System.Text.RegularExpressions;
using LlmPipeline.Analysis.Warnings;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Analysis.Tests.Warnings;

/// <summary>The warning catalogue (issue 18): one entry per stored code, each documented, and no emitter that spells a code itself.</summary>
public sealed partial class WarningCatalogTests
{
    [Fact]
    public void The_catalogue_lists_every_declared_kind_once_with_a_unique_snake_case_code()
    {
        var declared = typeof(WarningCatalog).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(WarningKind)).Select(f => (WarningKind)f.GetValue(null)!).ToList();
        Assert.Equal(69, WarningCatalog.All.Count);
        Assert.Equal(declared.Select(k => k.Code).Order(), WarningCatalog.All.Select(k => k.Code).Order());
        Assert.Equal(WarningCatalog.All.Count, WarningCatalog.All.Select(k => k.Code).Distinct().Count());
        Assert.All(WarningCatalog.All, k => Assert.Matches(SnakeCase(), k.Code));
    }

    [Fact]
    public void Every_kind_says_what_it_means_what_to_do_and_where_it_comes_from_without_citing_files_outside_the_repository()
    {
        foreach (var k in WarningCatalog.All)
        {
            Assert.True(k.Meaning.Length > 20 && k.Meaning.EndsWith('.'), $"{k.Code}: meaning '{k.Meaning}'");
            Assert.True(k.WhatToDo.Length > 5 && k.WhatToDo.EndsWith('.'), $"{k.Code}: what to do '{k.WhatToDo}'");
            Assert.True(k.Source.Length > 20, $"{k.Code}: source '{k.Source}'");
            foreach (var text in new[] { k.Meaning, k.WhatToDo, k.Source })
                Assert.False(OutsideCitation().IsMatch(text), $"{k.Code} cites a document outside the repository: {text}");
        }
        Assert.Contains("https://github.com/pytorch/kineto/issues/109", WarningCatalog.KernelZeroTs.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void External_ids_a_gpu_only_trace_cannot_resolve_are_notes_and_unattributed_replays_stay_degraded()
    {
        // A trace recorded without CPU operators loses nothing it holds (issue 21: notes, not warnings).
        Assert.Equal(WarningSeverity.Info, WarningCatalog.ExternalIdWithoutCpuOp.Severity);
        Assert.Equal(WarningSeverity.Info, WarningCatalog.KernelExternalIdZero.Severity);
        // A capture trace exists but was not given: the run lacks what it could have had.
        Assert.Equal(WarningSeverity.Degraded, WarningCatalog.GraphReplayUnattributed.Severity);
    }

    [Fact]
    public void Every_severity_and_stage_has_a_snake_case_label_and_a_description()
    {
        Assert.Equal(["info", "repair", "set_aside", "degraded", "failed"], Enum.GetValues<WarningSeverity>().Select(WarningCatalog.Label));
        Assert.Equal(["reading", "normalizing", "ranks", "ingest", "graph_replays", "captures", "segmentation"],
            Enum.GetValues<WarningStage>().Select(WarningCatalog.Label));
        Assert.All(Enum.GetValues<WarningSeverity>(), s => Assert.EndsWith(".", WarningCatalog.Describe(s)));
        Assert.All(Enum.GetValues<WarningStage>(), s => Assert.EndsWith(".", WarningCatalog.Describe(s)));
        Assert.All(Enum.GetValues<WarningStage>(), s => Assert.NotEmpty(WarningCatalog.OfStage(s)));
    }

    [Fact]
    public void Every_link_into_docs_messy_traces_md_names_an_anchor_the_page_has()
    {
        var page = File.ReadAllText(Path.Combine(SharedData.RepoRoot, "docs", "messy-traces.md"));
        var links = WarningCatalog.All.SelectMany(k => MessyTracesLink().Matches(k.Source).Select(m => (k.Code, Id: m.Groups["id"].Value))).ToList();
        Assert.Equal(42, links.Count);
        Assert.All(links, l => Assert.True(page.Contains($"<a id=\"{l.Id}\"></a>", StringComparison.Ordinal), $"{l.Code}: docs/messy-traces.md has no anchor {l.Id}"));
        Assert.EndsWith("See docs/messy-traces.md#b02.", WarningCatalog.TrailingComma.Source);
    }

    [Fact]
    public void Find_returns_the_kind_of_a_stored_code_and_null_for_an_unknown_one()
    {
        Assert.Same(WarningCatalog.TrailingComma, WarningCatalog.Find("trailing_comma"));
        Assert.Same(WarningCatalog.MemoryOpWithoutTs, WarningCatalog.Find("memory_op_without_ts"));
        Assert.Null(WarningCatalog.Find("no_such_kind"));
        Assert.Equal("trailing_comma", WarningCatalog.TrailingComma.ToString());
    }

    [Fact]
    public void The_run_time_families_are_explicit_entries_one_per_event_family()
    {
        string[] families = ["memory_op", "launch", "annotation"];
        foreach (var what in families)
        {
            Assert.Equal(WarningSeverity.SetAside, WarningCatalog.Find($"{what}_without_ts")!.Severity);
            Assert.Equal(WarningSeverity.SetAside, WarningCatalog.Find($"{what}_negative_dur")!.Severity);
        }
    }

    [Fact]
    public void The_segmentation_stage_holds_exactly_the_kinds_the_segmenter_writes()
    {
        // Resegment replaces these (RunResegmenter derives its list from the stage); kernel_runaway_dur is written
        // before segmenting, about kernels a resegment never sees, so it stays.
        Assert.Equal(
            ["no_kernels", "anchor_not_found", "no_anchor", "layer_count_default", "no_layer_count", "layer_count_mismatch",
             "no_complete_pass", "partial_pass", "extra_anchors", "compress_ratios_mismatch", "no_layer_structure"],
            WarningCatalog.OfStage(WarningStage.Segmentation).Select(k => k.Code));
        Assert.Equal(WarningStage.Ingest, WarningCatalog.KernelRunawayDur.Stage);
    }

    [Fact]
    public void Only_reader_kinds_are_repairs_so_strict_mode_refuses_exactly_them()
    {
        Assert.All(WarningCatalog.All.Where(k => k.Severity == WarningSeverity.Repair), k => Assert.Equal(WarningStage.Reading, k.Stage));
        Assert.Equal(14, WarningCatalog.All.Count(k => k.Severity == WarningSeverity.Repair));
        Assert.Equal(
            ["no_trace_events", "empty_event", "numeric_string", "number_out_of_range", "invalid_time"],
            WarningCatalog.OfStage(WarningStage.Reading).Where(k => k.Severity != WarningSeverity.Repair).Select(k => k.Code));
    }

    [Fact]
    public void No_source_file_outside_the_catalogue_spells_a_warning_code()
    {
        // Emitters pass WarningCatalog entries; queries bind WarningKind.Code. A literal code anywhere else would be a
        // kind the catalogue does not own.
        var codes = WarningCatalog.All.Select(k => k.Code).ToHashSet(StringComparer.Ordinal);
        Assert.Equal("truncated_file", Literal().Match("WHERE kind = 'truncated_file'").Groups["code"].Value);
        var catalogue = Path.Combine(SharedData.RepoRoot, "src", "Analysis", "Warnings") + Path.DirectorySeparatorChar;
        var files = Directory.EnumerateFiles(Path.Combine(SharedData.RepoRoot, "src"), "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(SharedData.RepoRoot, "sql"), "*.sql", SearchOption.AllDirectories))
            .Where(f => !f.StartsWith(catalogue, StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.True(files.Count > 100, $"only {files.Count} source files found under {SharedData.RepoRoot}");
        var found = new List<string>();
        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
                foreach (Match m in Literal().Matches(lines[i]))
                    if (codes.Contains(m.Groups["code"].Value))
                        found.Add($"{Path.GetRelativePath(SharedData.RepoRoot, file)}:{i + 1}: {m.Value}");
        }
        Assert.True(found.Count == 0, "warning codes spelled outside src/Analysis/Warnings (use WarningCatalog):\n" + string.Join("\n", found));
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)+$")]
    private static partial Regex SnakeCase();

    [GeneratedRegex("""(?<q>["'])(?<code>[a-z0-9_]+)\k<q>""")]
    private static partial Regex Literal();

    [GeneratedRegex(@"docs/messy-traces\.md#(?<id>b\d\d)")]
    private static partial Regex MessyTracesLink();

    [GeneratedRegex(@"decisions\.md|decisions §|field-problems|reference-scripts|kineto-format|reference-card|\bB\d\d\b")]
    private static partial Regex OutsideCitation();
}
