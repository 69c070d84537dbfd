namespace LlmPipeline.Analysis.Segmentation;

/// <summary>
/// Chooses pass starts among the anchors (docs/segmentation.md, section 2): first the most complete passes of B consecutive
/// anchors, then the largest idle gaps at pass boundaries (sum of the largest idle gap before each pass's first
/// anchor). Dynamic programming over anchor indices, O(A).
/// </summary>
internal static class PassPlanner
{
    /// <param name="anchorCount">Number of anchors A.</param>
    /// <param name="blocksPerPass">B = N × blocks per layer.</param>
    /// <param name="boundaryScore">Score (ns) of starting a pass at anchor s: the largest idle gap in (a[s−1], a[s]].</param>
    /// <returns>Anchor indices where complete passes start, ascending.</returns>
    public static List<int> Plan(int anchorCount, int blocksPerPass, long[] boundaryScore)
    {
        var a = anchorCount;
        var b = blocksPerPass;
        var starts = new List<int>();
        if (b <= 0 || a < b) return starts;
        var last = a - b; // last possible start
        // g[x] = best (count, score, start) over passes starting at s >= x
        var gCount = new int[a + 2];
        var gScore = new long[a + 2];
        var gIdx = new int[a + 2];
        Array.Fill(gIdx, -1);
        for (var s = a; s >= 0; s--)
        {
            if (s > last)
            {
                gCount[s] = 0; gScore[s] = 0; gIdx[s] = -1;
                continue;
            }
            var next = s + b;
            var fCount = 1 + (next <= a ? gCount[next] : 0);
            var fScore = boundaryScore[s] + (next <= a ? gScore[next] : 0);
            var tailCount = gCount[s + 1];
            var tailScore = gScore[s + 1];
            if (fCount > tailCount || (fCount == tailCount && fScore >= tailScore))
            {
                gCount[s] = fCount; gScore[s] = fScore; gIdx[s] = s;
            }
            else
            {
                gCount[s] = tailCount; gScore[s] = tailScore; gIdx[s] = gIdx[s + 1];
            }
        }
        var cur = gIdx[0];
        while (cur >= 0)
        {
            starts.Add(cur);
            var next = cur + b;
            cur = next <= last ? gIdx[next] : -1;
        }
        return starts;
    }
}
