namespace LlmPipeline.Query.Cli;

/// <summary>The run, device and pass a per-pass report is about.</summary>
/// <param name="RunId">Run id.</param>
/// <param name="Device">GPU device.</param>
/// <param name="PassIdx">0-based pass index.</param>
public sealed record PassScope(long RunId, int Device, int PassIdx)
{
    /// <summary>
    /// Checks the run, picks the device (default: the run's lowest) and the pass (default: decisions.md §3, the choice
    /// written to <paramref name="notes"/>).
    /// </summary>
    /// <exception cref="QueryException">Unknown run, device or pass; the message gives the valid range.</exception>
    public static PassScope Resolve(ReportDatabase db, long runId, int? device, int? pass, TextWriter notes)
    {
        db.RequireRun(runId);
        var d = db.ResolveDevice(runId, device);
        var p = db.ResolvePass(runId, d, pass, notes);
        return new PassScope(runId, d, p);
    }

    /// <summary>Dapper parameters <c>@run</c>, <c>@device</c>, <c>@pass</c>.</summary>
    public object Parameters => new { run = RunId, device = Device, pass = PassIdx };
}
