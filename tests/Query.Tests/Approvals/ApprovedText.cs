using System.Runtime.CompilerServices;
using ApprovalTests;
using ApprovalTests.Core;
using ApprovalTests.Reporters;
using ApprovalTests.Writers;

namespace LlmPipeline.Query.Tests.Approvals;

/// <summary>
/// Compares a text with its approved copy, <c>Approved/NAME.approved.txt</c> beside the test file (ApprovalTests).
/// A difference (or no approved copy) fails the test and leaves <c>Approved/NAME.received.txt</c>; README.md in this
/// folder says how to approve it. The file is named here, not from the stack, so Release builds name it alike.
/// </summary>
public static class ApprovedText
{
    /// <summary>Fails unless <paramref name="text"/> equals <c>Approved/<paramref name="name"/>.approved.txt</c>.</summary>
    public static void Verify(string name, string text, [CallerFilePath] string testFile = "") =>
        global::ApprovalTests.Approvals.Verify(new ApprovalTextWriter(text), new Namer(Path.Combine(Path.GetDirectoryName(testFile)!, "Approved"), name), QuietReporter.INSTANCE);

    private sealed class Namer(string sourcePath, string name) : IApprovalNamer
    {
        public string SourcePath { get; } = sourcePath;

        public string Name { get; } = name;
    }
}
