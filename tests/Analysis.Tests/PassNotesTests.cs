using LlmPipeline.Analysis.Segmentation;
using Xunit;

namespace LlmPipeline.Analysis.Tests;

/// <summary>
/// Pass notes (docs/segmentation.md, section 8): <c>cold-start</c> only for a first pass at least 10 % slower than the
/// median of the later passes of its phase, <c>steady-state</c> within 5 % of the previous pass of the same phase,
/// <c>growing &lt;g&gt;x</c> above 1.5×; pass walls where the run has no layers.
/// </summary>
public sealed class PassNotesTests
{
    private static PassSummary P(int i, string? phase = null, double wallUs = 0, bool partial = false) =>
        new(i, new KernelTotals(0, 0, wallUs, 0, 0, 0, 0, 0), 0, partial, null, phase);

    private static string?[] Notes(string?[] phases, double?[] layer0WallUs, bool[]? partial = null) =>
        PassNotes.Compute(phases.Select((ph, i) => P(i, ph, partial: partial?[i] ?? false)).ToArray(), layer0WallUs);

    [Fact]
    public void A_first_pass_faster_than_the_later_median_is_no_cold_start()
    {
        // pass 1 is the first complete pass: 100 us against the median of 300, 310, 200, 204 (252 us); 300/100 = 3.0x;
        // 310 within 5 % of 300; 200 is 0.65x of 310 (no note); 204 within 5 % of 200.
        var notes = Notes([null, null, null, null, null, null], [null, 100.0, 300.0, 310.0, 200.0, 204.0], [true, false, false, false, false, false]);
        Assert.Equal(new string?[] { null, null, "growing 3.0x", "steady-state", null, "steady-state" }, notes);
    }

    [Fact]
    public void A_lone_prefill_pass_and_a_single_decode_step_are_no_cold_start()
    {
        // prefill has one pass (500 us, 5x the decode steps): nothing later to be slower than. decode: 100 against the
        // median of 102 and 101 (101.5 us) is not 10 % slower; 102 and 101 are each within 5 % of the one before.
        Assert.Equal(new string?[] { null, null, "steady-state", "steady-state" },
            Notes(["prefill", "decode", "decode", "decode"], [500.0, 100.0, 102.0, 101.0]));
        Assert.Equal(new string?[] { null }, Notes(["decode"], [100.0]));
        Assert.Equal(new string?[] { null }, Notes([null], [100.0]));
    }

    [Fact]
    public void A_first_pass_at_least_10_percent_slower_than_the_later_median_is_a_cold_start()
    {
        // median of 100, 104, 99 is 100: 150 is 50 % slower. 100 is 0.67x of 150 (no note); 104 within 5 % of 100;
        // 99 differs by 5 from 104, within 5.2.
        Assert.Equal(new string?[] { "cold-start", null, "steady-state", "steady-state" },
            Notes(["decode", "decode", "decode", "decode"], [150.0, 100.0, 104.0, 99.0]));
        // 109 is 9 % slower than the median 100: not a cold start; 100 differs from 109 by 9 > 5.45.
        Assert.Equal(new string?[] { null, null, "steady-state" }, Notes(["decode", "decode", "decode"], [109.0, 100.0, 100.0]));
    }

    [Fact]
    public void Each_pass_is_compared_with_the_previous_complete_pass_of_its_own_phase()
    {
        // prefill 0 and 3: 510 within 5 % of 500. decode 1, 2, 4: 100 = 100, then 103 against pass 2's 100.
        Assert.Equal(new string?[] { null, null, "steady-state", "steady-state", "steady-state" },
            Notes(["prefill", "decode", "decode", "prefill", "decode"], [500.0, 100.0, 100.0, 510.0, 103.0]));
        // the idle step gets no note and is skipped: pass 2 against pass 0 (101/100), pass 3 against pass 2 (300/101 = 2.97x).
        Assert.Equal(new string?[] { null, null, "steady-state", "growing 3.0x" },
            Notes(["decode", "idle", "decode", "decode"], [100.0, 5.0, 101.0, 300.0]));
        // the partial pass 1 gets no note and is skipped: pass 2 (102) against pass 0 (100).
        Assert.Equal(new string?[] { null, null, "steady-state" }, Notes([null, null, null], [100.0, 40.0, 102.0], [false, true, false]));
    }

    [Fact]
    public void A_run_without_layers_compares_pass_walls()
    {
        // no layer 0 anywhere: pass walls. The median of 1000, 1040, 1100, 1700 is 1070, so 2000 is a cold start;
        // 1000 is 0.5x of 2000; 1040 within 50 of 1000; 1100 is 1.06x of 1040 (no note); 1700 / 1100 = 1.545x.
        var passes = new[] { 2000.0, 1000.0, 1040.0, 1100.0, 1700.0 }.Select((w, i) => P(i, "decode", w)).ToArray();
        Assert.Equal(new string?[] { "cold-start", null, "steady-state", null, "growing 1.5x" },
            PassNotes.Compute(passes, [null, null, null, null, null]));
    }

    [Fact]
    public void The_default_pass_of_a_run_without_layers_follows_its_pass_walls()
    {
        // notes as above: 1040 (pass 2) is steady, 1100 (pass 3) is not, so no pass is followed by two steady passes
        // until pass 4 (1090) and 5 (1100) are added: pass 3 is the first.
        var passes = new[] { 2000.0, 1000.0, 1040.0, 1100.0, 1090.0, 1100.0 }.Select((w, i) => P(i, "decode", w)).ToArray();
        var (idx, reason) = DefaultPass.ChooseInPhase(passes, [null, null, null, null, null, null], [false, false, false, false, false, false], null);
        Assert.Equal(3, idx);
        Assert.Equal("among the 6 decode pass(es) (the most common phase): pass 3 is the first complete pass whose next two passes are steady-state (each within 5 % of the one before)", reason);
    }
}
