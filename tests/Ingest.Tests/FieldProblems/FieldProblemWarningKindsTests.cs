using System.Text;
using LlmPipeline.Analysis.Warnings;
using LlmPipeline.Ingest.Tests.Robustness;
using LlmPipeline.TestSupport;
using LlmPipeline.TraceGen;
using Xunit;
using Xunit.Abstractions;

namespace LlmPipeline.Ingest.Tests.FieldProblems;

/// <summary>
/// Issue 18 acceptance on the field-problem inputs: every kind ingest stores for the variants of the field-problem
/// baseline and for the TraceGen-built problem traces is in the warning catalogue (so docs/warnings.md lists it).
/// Every other input a test builds goes through <see cref="Ingested"/>, which checks the same on each ingest.
/// </summary>
public sealed class FieldProblemWarningKindsTests(ITestOutputHelper output)
{
    private static readonly FieldTrace Mi300 = new()
    {
        GpuName = "AMD Instinct MI300X", LaunchName = _ => "hipLaunchKernel", CommPerLayer = 2, CommCorrelationZero = true,
    };

    /// <summary>The field-problem baseline and its variants, by problem.</summary>
    private static IEnumerable<(string Problem, byte[] Trace)> FieldInputs()
    {
        yield return ("baseline", new FieldTrace().Bytes());
        yield return ("GPU-only trace (no CPU-side events)", new FieldTrace { CpuSide = false }.Bytes());
        yield return ("GPU clock 5 s behind the CPU's", new FieldTrace { KernelShiftUs = _ => -5e6 }.Bytes());
        yield return ("GPU clock 5 s ahead of the CPU's", new FieldTrace { KernelShiftUs = _ => 5e6 }.Bytes());
        yield return ("GPU clock drifting by 300 µs", new FieldTrace { KernelShiftUs = k => 300.0 * k / 120 }.Bytes());
        yield return ("RCCL kernels with correlation 0", Mi300.Bytes());
        yield return ("kernels without an External id of their own", new FieldTrace { ExternalIdOffset = 7, KernelExternalId = false }.Bytes());
        yield return ("every External id 0", new FieldTrace { ZeroExternalIds = true }.Bytes());
        yield return ("gpu_user_annotation spans on the kernel rows", new FieldTrace { GpuUserAnnotations = true }.Bytes());
        yield return ("displayTimeUnit ns", new FieldTrace { Header = "\"displayTimeUnit\": \"ns\"," }.Bytes());
        yield return ("sparse kernels, some launched by graphs", new FieldTrace
        {
            KernelShiftUs = k => 28.0 * (k % FieldTrace.KernelsPerPass), PassSpacingUs = 3000,
            LaunchName = i => i % 40 == 0 ? "cudaGraphLaunch" : "cudaLaunchKernel",
        }.Bytes());
        yield return ("two writers, two whole documents", Encoding.UTF8.GetBytes(new FieldTrace { Rank = 0 }.Json() + "\n" + new FieldTrace { Rank = 1 }.Json()));
        var whole = new FieldTrace().Bytes();
        yield return ("file cut short", whole[..(whole.Length - 200)]);
    }

    [Fact]
    [Trait("Category", "Corpus")] // a list of 13 generated problem traces (the tests of each problem check their own input's kinds through Ingested)
    public void Every_kind_stored_for_the_field_problem_baseline_variants_is_in_the_catalogue()
    {
        var kinds = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (problem, trace) in FieldInputs())
        {
            using var x = Ingested.Bytes(trace, numLayers: 4);
            var stored = x.WarningKinds();
            output.WriteLine($"{problem}: {string.Join(", ", stored)}");
            kinds.UnionWith(stored);
        }
        Assert.All(kinds, k => Assert.NotNull(WarningCatalog.Find(k)));
        Assert.Equal(
            ["clock_domain_mismatch", "concatenated_documents", "external_id_from_launch", "external_id_without_cpu_op",
             "kernel_correlation_zero", "kernel_external_id_zero", "launches_without_kernel", "negative_ts", "partial_pass", "truncated_file"],
            kinds);
    }

    [Fact]
    [Trait("Category", "Corpus")] // every TraceGen case, twice: about 20 s
    public void Every_kind_stored_for_the_TraceGen_problem_traces_whole_and_cut_short_is_in_the_catalogue()
    {
        using var dir = new TempDir();
        var kinds = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var c in GroundTruthCases.All)
        {
            var path = dir.File(c.Name + ".json");
            TraceWriter.WriteFile(c.Spec, path, gzip: false);
            var bytes = File.ReadAllBytes(path);
            foreach (var (name, trace) in new[] { (c.Name, bytes), (c.Name + " cut short", bytes[..(bytes.Length * 2 / 3)]) })
            {
                using var x = Ingested.Bytes(trace, c.Name + ".json");
                var stored = x.WarningKinds();
                output.WriteLine($"{name}: {string.Join(", ", stored)}");
                kinds.UnionWith(stored);
            }
        }
        Assert.All(kinds, k => Assert.NotNull(WarningCatalog.Find(k)));
        Assert.Equal(["extra_anchors", "launches_without_kernel", "no_layer_count", "partial_pass", "truncated_file"], kinds);
    }
}
