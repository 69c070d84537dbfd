using System.CommandLine;
using LlmPipeline.Query.Output;

namespace LlmPipeline.Query.Cli;

/// <summary>
/// The options of the reports that list the passes (or phase windows) of one run or of every run, <c>timeline</c> and
/// <c>windows</c>: the <see cref="ReportOptions"/> plus an optional <c>--run</c>, an optional <c>--device</c> (a
/// command that offers it adds it) and <c>--phase</c> in its listing form (a phase no pass has is an error:
/// docs/messy-traces.md, B31), with the checks and the query both make.
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
    /// Checks <c>--run</c>, <c>--device</c> and <c>--phase</c> (<see cref="Check"/>) and reads the rows of
    /// <paramref name="view"/> of that run, device and phase (all when not given).
    /// </summary>
    /// <param name="db">The report database.</param>
    /// <param name="parse">The parsed command line.</param>
    /// <param name="view">A view with <c>run_id</c>, <c>device</c> and <c>phase</c> columns (<c>pass_timeline</c>, <c>pass_windows</c>).</param>
    /// <param name="orderBy">The rows' order, an SQL <c>ORDER BY</c> list of its columns.</param>
    /// <returns>The rows, and the run asked for (null: every run).</returns>
    /// <exception cref="QueryException">Unknown run or device, or a phase no pass of the run has.</exception>
    public (ResultTable Rows, long? Run) Select(ReportDatabase db, ParseResult parse, string view, string orderBy)
    {
        var (run, device, phase) = Check(db, parse);
        var rows = db.Query($"""
            SELECT * FROM {view}
            WHERE (@run IS NULL OR run_id = @run) AND (@device IS NULL OR device = @device) AND (@phase IS NULL OR phase = @phase)
            ORDER BY {orderBy}
            """, new { run, device, phase });
        return (rows, run);
    }

    /// <summary>
    /// Reads <c>--run</c>, <c>--device</c> (null when the command does not offer it) and <c>--phase</c> and checks them:
    /// the run exists, the device is one of the run's, and the run (every run when none is given) has a pass of the phase.
    /// </summary>
    /// <exception cref="QueryException">Unknown run or device, or a phase no pass of the run has; the message lists what is there.</exception>
    private (long? Run, int? Device, string? Phase) Check(ReportDatabase db, ParseResult parse)
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
        PassScope.RequirePhase(db, run, device, phase); // a phase no pass has is an error, not an empty table (docs/messy-traces.md, B31)
        return (run, device, phase);
    }
}
