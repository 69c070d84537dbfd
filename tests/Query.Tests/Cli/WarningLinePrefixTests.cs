using LlmPipeline.Query.Cli;
using Xunit;

namespace LlmPipeline.Query.Tests.Cli;

/// <summary>Outcome warning lines of info-severity kinds are printed as notes, all others as warnings.</summary>
public sealed class WarningLinePrefixTests
{
    [Theory]
    [InlineData("external_id_without_cpu_op x2216: 2216 kernels carry an External id that no cpu_op has", "note")]
    [InlineData("kernel_external_id_zero x12 (first at byte 4096): External id 0", "note")]
    [InlineData("graph_replay_unattributed x40: 40 graph-replay kernels", "warning")]
    [InlineData("no_such_kind x1: written by another version", "warning")]
    [InlineData("external_id_without_cpu_op", "note")]
    public void Info_kinds_are_notes_and_every_other_kind_a_warning(string line, string expected) =>
        Assert.Equal(expected, WarningLinePrefix.For(line));
}
