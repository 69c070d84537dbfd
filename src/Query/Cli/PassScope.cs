using System.CommandLine;
using Dapper;
using LlmPipeline.Analysis.Phases;
using LlmPipeline.Analysis.Segmentation;

namespace LlmPipeline.Query.Cli;

/// <summary>The run, device and pass a per-pass report is about.</summary>
/// <param name="RunId">Run id.</param>
/// <param name="Device">GPU device.</param>
/// <param name="PassIdx">0-based pass index.</param>
public sealed record PassScope(long RunId, int Device, int PassIdx)
{
    /// <summary>
    /// Checks the run, picks the device (default: the run's lowest) and the pass (default: docs/segmentation.md, section 8, among the
    /// passes of <paramref name="phase"/>, or of the most common phase; the choice is written to <paramref name="notes"/>).
    /// </summary>
    /// <exception cref="QueryException">Unknown run, device or pass, or a pass of another phase; the message gives the valid range.</exception>
    public static PassScope Resolve(ReportDatabase db, long runId, int? device, int? pass, TextWriter notes, string? phase = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        db.RequireRun(runId);
        var d = db.ResolveDevice(runId, device);
        var p = ResolvePass(db, runId, d, pass, phase, notes);
        return new PassScope(runId, d, p);
    }

    /// <summary>Dapper parameters <c>@run</c>, <c>@device</c>, <c>@pass</c>.</summary>
    public object Parameters => new { run = RunId, device = Device, pass = PassIdx };

    /// <summary>
    /// The SQL condition that keeps the scope's rows of a table or view with <c>run_id</c>, <c>device</c> and
    /// <c>pass_idx</c> columns, bound by <see cref="Parameters"/>.
    /// </summary>
    public const string Filter = "run_id = @run AND device = @device AND pass_idx = @pass";

    /// <summary><c>--phase decode|prefill|mixed</c> (issue 4): keep only passes of that phase.</summary>
    /// <param name="listsPasses">True for reports that list every pass (timeline, windows): no default pass is chosen.</param>
    public static Option<string?> PhaseOption(bool listsPasses = false)
    {
        var option = new Option<string?>("--phase")
        {
            Description = listsPasses
                ? "Only passes of this phase (decode, prefill, mixed, idle; see passes.phase); a phase no pass has is an error [default: every pass]"
                : "Only passes of this phase (decode, prefill, mixed, idle; see passes.phase) [default: the default pass is chosen among the most common phase]",
            HelpName = "PHASE",
        };
        option.AcceptOnlyFromAmong([.. PhaseNames.All]);
        return option;
    }

    /// <summary>
    /// The pass to report: <paramref name="pass"/> when valid (and of <paramref name="phase"/> when given), else the
    /// default pass (<see cref="Choose"/>), whose choice is written to <paramref name="notes"/> as
    /// <c>pass N chosen: &lt;why&gt;; use --pass N for another</c>.
    /// </summary>
    /// <exception cref="QueryException">The run has no passes, the pass is out of range or of another phase, or no pass has the phase.</exception>
    public static int ResolvePass(ReportDatabase db, long runId, int device, int? pass, string? phase, TextWriter notes)
    {
        ArgumentNullException.ThrowIfNull(notes);
        var (chosen, reason) = Choose(db, runId, device, pass, phase);
        if (pass is null) notes.WriteLine(ChoiceLine(chosen, reason));
        return chosen;
    }

    /// <summary>The stderr line of a default pass: <c>pass N chosen: &lt;why&gt;; use --pass N for another</c>.</summary>
    /// <param name="pass">The pass chosen.</param>
    /// <param name="reason">Why (<see cref="Choose"/>).</param>
    public static string ChoiceLine(int pass, string reason) => $"pass {pass} chosen: {reason}; use --pass N for another";

    /// <summary>
    /// The one default-pass rule of every per-pass report, <c>compare</c>, <c>skew</c> and the HTML report
    /// (docs/segmentation.md, section 8; <see cref="DefaultPass.ChooseInPhase"/>): among the passes of <paramref name="phase"/>,
    /// or of the most common phase, outliers left out, the first complete pass whose next two passes are both
    /// <c>steady-state</c>, else the last complete pass. The notes are computed from the stored walls and phases, not
    /// read from <c>passes.note</c>. When <paramref name="pass"/> is given it is checked and returned with the reason
    /// <c>asked for with --pass</c>.
    /// </summary>
    /// <returns>The pass and one sentence saying why it was chosen.</returns>
    /// <exception cref="QueryException">The run has no passes, the pass is out of range or of another phase, or no pass has the phase.</exception>
    public static (int PassIdx, string Reason) Choose(ReportDatabase db, long runId, int device, int? pass, string? phase)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = db.Connection.Query<PassRow>(
                """
                SELECT p.pass_idx AS PassIdx, p.start_ns AS StartNs, p.end_ns AS EndNs, p.wall_us AS WallUs, p.sum_us AS SumUs,
                       p.busy_us AS BusyUs, p.idle_us AS IdleUs, p.exposed_comm_us AS ExposedCommUs, p.kernel_count AS KernelCount,
                       p.layer_count AS LayerCount, p.is_partial AS IsPartial, p.note AS Note, p.phase AS Phase,
                       p.is_outlier AS IsOutlier, l0.wall_us AS Layer0WallUs
                FROM passes AS p
                LEFT JOIN layers AS l0 ON l0.run_id = p.run_id AND l0.device = p.device AND l0.pass_idx = p.pass_idx AND l0.layer_idx = 0
                WHERE p.run_id = @runId AND p.device = @device ORDER BY p.pass_idx
                """,
                new { runId, device }).ToList();
        if (rows.Count == 0)
            throw new QueryException($"run {runId} device {device} has no forward passes (no anchor or layer structure was found; see llmpipe warnings --run {runId})");
        var row = pass is int asked
            ? rows.FirstOrDefault(r => r.PassIdx == asked)
              ?? throw new QueryException($"pass {asked} is out of range for run {runId} device {device}: valid passes are {ReportDatabase.Ranges(rows.Select(r => r.PassIdx).ToList())}")
            : null;
        if (phase is not null && rows.All(r => r.Phase != phase))
            throw new QueryException(AbsentPhaseMessage(db, runId, device, phase));
        if (row is not null)
        {
            var p0 = (int)row.PassIdx;
            if (phase is not null && row.Phase != phase)
                throw new QueryException($"pass {p0} of run {runId} device {device} is {(row.Phase is null ? "of unknown phase" : row.Phase)}, not {phase}; {PhaseRanges(rows, phase)}");
            return (p0, "asked for with --pass");
        }
        var summaries = rows.Select(r => r.ToSummary()).ToList();
        var (chosen, reason) = DefaultPass.ChooseInPhase(summaries, rows.Select(r => r.Layer0WallUs).ToList(), rows.Select(r => r.IsOutlier != 0).ToList(), phase);
        if (chosen < 0)
            throw new QueryException($"run {runId} device {device} has no {phase} passes; {PhaseRanges(rows, phase)}");
        return (chosen, reason);
    }

    /// <summary>The pass indices of run/device whose phase is <paramref name="phase"/> (all passes when null).</summary>
    /// <exception cref="QueryException"><paramref name="phase"/> is given and the run/device has no pass of it (docs/messy-traces.md,
    /// B31: say so instead of printing an empty table); the message lists the phases present with their pass counts.</exception>
    public static IReadOnlyList<long> PassesOfPhase(ReportDatabase db, long runId, int device, string? phase)
    {
        ArgumentNullException.ThrowIfNull(db);
        var passes = db.Connection.Query<long>(
            "SELECT pass_idx FROM passes WHERE run_id = @runId AND device = @device AND (@phase IS NULL OR phase = @phase) ORDER BY pass_idx",
            new { runId, device, phase }).ToList();
        if (phase is not null && passes.Count == 0)
            throw new QueryException(AbsentPhaseMessage(db, runId, device, phase));
        return passes;
    }

    /// <summary>
    /// Checks that run <paramref name="runId"/> (one device, or any device when null), or some run when
    /// <paramref name="runId"/> is null, has a pass of <paramref name="phase"/>; does nothing when <paramref name="phase"/>
    /// is null. For reports that list passes (docs/messy-traces.md, B31: a requested class that is absent is an error, never an
    /// empty table or a substitute).
    /// </summary>
    /// <exception cref="QueryException">No pass of that phase; the message lists the phases present with their pass counts,
    /// e.g. <c>run 3 has no prefill pass (phases: decode 30, mixed 6)</c> or <c>no run has a prefill pass (...)</c>.</exception>
    public static void RequirePhase(ReportDatabase db, long? runId, int? device, string? phase)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (phase is null) return;
        var counts = PhaseCounts(db, runId, device);
        if (counts.Any(c => c.Phase == phase)) return;
        throw new QueryException(runId is long id ? AbsentPhaseMessage(db, id, device, phase) : $"no run has a {phase} pass ({Present(counts)})");
    }

    /// <summary>
    /// <c>run R [device D] has no PHASE pass (phases: decode 30, mixed 6)</c>: the phases present (unknown for NULL) with their
    /// pass counts, most passes first. The device is named when given and the run has several.
    /// </summary>
    public static string AbsentPhaseMessage(ReportDatabase db, long runId, int? device, string phase)
    {
        ArgumentNullException.ThrowIfNull(db);
        var counts = PhaseCounts(db, runId, device);
        var devices = db.Connection.ExecuteScalar<long>("SELECT COUNT(DISTINCT device) FROM passes WHERE run_id = @runId", new { runId });
        var where = device is int d && devices > 1 ? $"run {runId} device {d}" : $"run {runId}";
        return $"{where} has no {phase} pass ({Present(counts)})";
    }

    /// <summary>Passes per phase ('unknown' for NULL), most first, of one run (and device), or of every run when <paramref name="runId"/> is null.</summary>
    private static List<(string Phase, long Count)> PhaseCounts(ReportDatabase db, long? runId, int? device) =>
        db.Connection.Query<(string Phase, long Count)>(
            """
            SELECT COALESCE(phase, 'unknown') AS phase, COUNT(*) AS n FROM passes
            WHERE (@runId IS NULL OR run_id = @runId) AND (@device IS NULL OR device = @device)
            GROUP BY COALESCE(phase, 'unknown') ORDER BY n DESC, phase
            """, new { runId, device }).ToList();

    /// <summary><c>phases: decode 30, mixed 6</c>, or <c>no passes at all</c>.</summary>
    private static string Present(List<(string Phase, long Count)> counts) =>
        counts.Count == 0 ? "no passes at all" : "phases: " + string.Join(", ", counts.Select(c => $"{c.Phase} {c.Count}"));

    private static string PhaseRanges(List<PassRow> rows, string? phase)
    {
        var of = rows.Where(r => r.Phase == phase).Select(r => r.PassIdx).ToList();
        var present = rows.Select(r => r.Phase ?? "unknown").Distinct().OrderBy(x => x, StringComparer.Ordinal);
        return of.Count > 0
            ? $"{phase} passes: {ReportDatabase.Ranges(of)}"
            : $"phases present: {string.Join(", ", present)}";
    }
}
