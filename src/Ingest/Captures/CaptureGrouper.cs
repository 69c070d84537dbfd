namespace LlmPipeline.Ingest.Captures;

/// <summary>
/// Groups trace files into captures by name (docs/messy-traces.md, B27): files in one directory whose names are equal
/// once the digits of their rank part are replaced (<c>run-TP-0.trace.json.gz</c>, <c>run-TP-1.trace.json.gz</c>)
/// form one capture; a file whose name carries no rank is a group of its own. Ranks read from
/// <c>distributedInfo</c> are applied later by <see cref="CaptureAssigner"/>, which wins over the name.
/// </summary>
public static class CaptureGrouper
{
    /// <summary>Groups <paramref name="paths"/>, keeping the order of first appearance; duplicates are dropped.</summary>
    public static IReadOnlyList<CaptureGroup> Group(IEnumerable<string> paths)
    {
        var groups = new List<(string Key, string? Name, string Dir, List<TraceFileName> Files)>();
        var byKey = new Dictionary<string, int>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path);
            if (!seen.Add(full)) continue;
            var parsed = CaptureNaming.Parse(path);
            var dir = Path.GetDirectoryName(full) ?? "";
            if (parsed.CaptureName is null)
            {
                groups.Add((full, null, dir, [parsed]));
                continue;
            }
            var key = Path.Combine(dir, parsed.CaptureName);
            if (byKey.TryGetValue(key, out var i))
            {
                groups[i].Files.Add(parsed);
                continue;
            }
            byKey[key] = groups.Count;
            groups.Add((key, parsed.CaptureName, dir, [parsed]));
        }
        return groups.Select(g => new CaptureGroup(g.Name, g.Dir,
            g.Files.OrderBy(f => f.Rank ?? int.MaxValue).ThenBy(f => f.Path, StringComparer.Ordinal).ToList())).ToList();
    }
}
