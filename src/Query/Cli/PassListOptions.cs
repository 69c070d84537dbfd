using System.CommandLine;

namespace LlmPipeline.Query.Cli;

/// <summary>
/// The options of the reports that list the passes (or phase windows) of one run or of every run, <c>timeline</c> and
/// <c>windows</c>: the <see cref="ReportOptions"/> plus an optional <c>--run</c>, an optional <c>--device</c> (a
/// command that offers it adds it) and <c>--phase</c> in its listing form (a phase no pass has is an error, field
/// problem B31), with the checks both make before they query.
/// </summary>
public sealed class PassListOptions : ReportOptions
{
    /// <summary><c>--run ID</c> (optional: every run).</summary>
    public Option<long?> Run { get; } = CommonOptions.Run(required: false);

    /// <summary><c>--device N</c> (optional: every device).</summary>
    public Option<int?> Device { get; } = CommonOptions.Device();

    /// <summary><c>--phase PHASE</c> (issue 4): only passes of that phase.</summary>
    public Option<string?> Phase { get; } = PassScope.PhaseOption(listsPasses: true);

    /// <summary>
    /// Reads <c>--run</c>, <c>--device</c> (null when the command does not offer it) and <c>--phase</c> and checks them:
    /// the run exists, the device is one of the run's, and the run (every run when none is given) has a pass of the phase.
    /// </summary>
    /// <returns>The run, device and phase to filter on; null: all.</returns>
    /// <exception cref="QueryException">Unknown run or device, or a phase no pass of the run has; the message lists what is there.</exception>
    public (long? Run, int? Device, string? Phase) Check(ReportDatabase db, ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(parse);
        var run = parse.GetValue(Run);
        var device = parse.CommandResult.Command.Options.Contains(Device) ? parse.GetValue(Device) : null;
        var phase = parse.GetValue(Phase);
        if (run is long id)
        {
            db.RequireRun(id);
            if (device is not null) db.ResolveDevice(id, device);
        }
        PassScope.RequirePhase(db, run, device, phase); // a phase no pass has is an error, not an empty table (B31)
        return (run, device, phase);
    }
}
