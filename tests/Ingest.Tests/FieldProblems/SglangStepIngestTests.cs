using LlmPipeline.Analysis.Phases;
using Xunit;

namespace LlmPipeline.Ingest.Tests.FieldProblems;

/// <summary>
/// SGLang's newer step spans (sgl-project/sglang#23419): lower-case modes, <c>step[idle]</c> padding steps and
/// <c>ext=</c>/<c>dec=</c> token counts, next to the scheduler's older upper-case grammar; through the full ingest.
/// </summary>
public sealed class SglangStepIngestTests
{
    private const string PrefillAttention = "flashinfer::BatchPrefillWithRaggedKVCacheKernel";

    private static FieldTrace Steps(params string[] names) => new()
    {
        Passes = names.Length,
        StepName = p => names[p],
        AttentionKernel = p => names[p].Contains("prefill", StringComparison.OrdinalIgnoreCase) ? PrefillAttention : "paged_attention_v2_kernel",
    };

    private const string PassesSql = "SELECT pass_idx, phase, batch_size, token_count, note FROM passes ORDER BY pass_idx";

    [Theory]
    [InlineData("step[prefill bs=2 toks=512]", "step[mixed bs=9 ext=256 dec=8]", "step[decode bs=9]", "step[idle]")]
    [InlineData("step[PREFILL bs=2 toks=512]", "step[MIXED bs=9 ext=256 dec=8]", "step[DECODE bs=9]", "step[IDLE]")] // the older grammar
    [InlineData("step[Prefill toks=512 bs=2]", "step[mixed dec=8 ext=256 bs=9]", "step[Decode bs=9 ]", "step[Idle bs=0]")] // order and case not in the file
    public void B40_idle_steps_are_their_own_phase_and_every_work_step_gets_its_token_count(string prefill, string mixed, string decode, string idle)
    {
        using var x = StreamAndLaunchIngestTests.Ingest(Steps(prefill, mixed, decode, decode, idle, decode));
        Assert.Equal(
        [
            "0|prefill|2|512|null",       // the only prefill pass: no cold start
            "1|mixed|9|264|null",         // token count ext + dec; the only mixed pass, compared with no other phase
            "2|decode|9|9|null",          // one token per request; first decode pass, as fast as the later ones
            "3|decode|9|9|steady-state",
            idle.Contains("bs=0") ? "4|idle|0|null|null" : "4|idle|null|null|null", // no token count, no steady-state note
            "5|decode|9|9|steady-state",  // compared with pass 3, the idle step skipped
        ], x.Rows(PassesSql));
        // The decode window runs from pass 2 to 5 and holds the 3 decode passes; the idle step has no window.
        Assert.Equal(["0|0|0|1|prefill", "1|1|1|1|mixed", "2|2|5|3|decode"],
            x.Rows("SELECT window_idx, first_pass_idx, last_pass_idx, pass_count, phase FROM pass_windows ORDER BY window_idx"));
        Assert.Equal(0L, x.Scalar<long>("SELECT count(*) FROM passes WHERE is_outlier = 1"));
    }

    [Theory]
    [InlineData("step[decode bs=9]", "decode", 9, 9L)]
    [InlineData("step[DECODE bs=32]", "decode", 32, 32L)]
    [InlineData("step[decode bs=4 toks=8]", "decode", 4, 8L)] // toks= wins over bs (e.g. speculative decoding)
    [InlineData("step[mixed bs=9 ext=256 dec=8]", "mixed", 9, 264L)]
    [InlineData("step[mixed bs=9 ext=256]", "mixed", 9, 256L)]
    [InlineData("step[EXTEND bs=2 toks=512]", "prefill", 2, 512L)]
    [InlineData("step[prefill bs=2]", "prefill", 2, null)] // prefill without toks: unknown, never bs
    [InlineData("step[idle]", "idle", null, null)]
    [InlineData("step[IDLE bs=3]", "idle", 3, null)]
    [InlineData("step[TARGET_VERIFY bs=4]", "decode", 4, 4L)]
    public void Step_grammar_gives_phase_batch_size_and_token_count(string name, string phase, int? bs, long? toks)
    {
        var m = PhaseRules.Default.ParseMarker(name)!;
        Assert.Equal(("sglang_step", phase, bs, toks), (m.Grammar, m.Phase, m.BatchSize, m.TokenCount));
    }
}
