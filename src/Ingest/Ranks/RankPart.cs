using LlmPipeline.Ingest.Normalizing;
using LlmPipeline.Ingest.Storage;

namespace LlmPipeline.Ingest.Ranks;

/// <summary>
/// The events of one rank of a trace file: its own staging database and normalizer, so that correlation and
/// External id joins never reach another rank (docs/messy-traces.md, B24). A file without rank labels has one part.
/// </summary>
public sealed class RankPart : IDisposable
{
    /// <summary>Creates the staging database and the normalizer for the rank labelled <paramref name="label"/>.</summary>
    /// <param name="label">The merged-trace label (<c>[TP01-DP00-PP00-EP00]</c>), or null for events without one.</param>
    /// <exception cref="DatabaseException">The staging database cannot be created.</exception>
    public RankPart(string? label)
    {
        Label = label;
        Staging = new StagingDatabase();
        try
        {
            Normalizer = new EventNormalizer(Staging);
        }
        catch
        {
            Staging.Dispose();
            throw;
        }
    }

    /// <summary>The rank label as written (brackets included), null for the events without one.</summary>
    public string? Label { get; }

    /// <summary>This rank's staging database.</summary>
    public StagingDatabase Staging { get; }

    /// <summary>This rank's normalizer (writes into <see cref="Staging"/>).</summary>
    public EventNormalizer Normalizer { get; }

    /// <summary>The rank number for <c>runs.rank</c> once the file is read (null for a file without labels: the usual rules apply).</summary>
    public long? Rank { get; internal set; }

    /// <summary>Kernels held (after <see cref="EventNormalizer.Complete"/>).</summary>
    public long KernelCount => Normalizer.Devices.Values.Sum(d => (long)d.Count);

    /// <inheritdoc />
    public void Dispose()
    {
        Normalizer.Dispose();
        Staging.Dispose();
    }
}
