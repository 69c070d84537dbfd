namespace LlmPipeline.Analysis.Segmentation;

/// <summary>
/// The length of the union of time intervals added in start order, ns (a kernel range's <c>busy</c>): one sweep
/// that keeps only the open interval, no list.
/// </summary>
internal struct BusyUnion()
{
    private long _closed;
    private long _curS;
    private long _curE = long.MinValue;

    /// <summary>Adds [<paramref name="startNs"/>, <paramref name="endNs"/>); starts must not decrease between calls.</summary>
    public void Add(long startNs, long endNs)
    {
        if (startNs > _curE)
        {
            if (_curE > long.MinValue) _closed += _curE - _curS;
            _curS = startNs;
            _curE = endNs;
        }
        else if (endNs > _curE) _curE = endNs;
    }

    /// <summary>Length of the union of everything added so far, ns (0 when nothing was).</summary>
    public readonly long TotalNs => _curE > long.MinValue ? _closed + (_curE - _curS) : 0;
}
