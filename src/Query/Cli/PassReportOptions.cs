using System.CommandLine;

namespace LlmPipeline.Query.Cli;

/// <summary>
/// The option set of the per-pass reports (<c>layers</c>, <c>clusters</c>, <c>kernels</c>, <c>perfetto</c>,
/// <c>top</c>, <c>efficiency</c>): the <see cref="ReportOptions"/> plus <c>--run</c> (required), <c>--pass</c>,
/// <c>--device</c> and <c>--phase</c>, built once by <see cref="CommonOptions"/> and <see cref="PassScope.PhaseOption"/>
/// so that their names, help texts and defaults are the same in every such command, with the pass resolution every
/// such action makes.
/// </summary>
public sealed class PassReportOptions : ReportOptions
{
    /// <summary>Builds the six options.</summary>
    /// <param name="passDescription">Help text of <c>--pass</c> when the command's differs from <see cref="CommonOptions.Pass"/>'s default; null keeps the default.</param>
    /// <param name="extraFormats">Formats accepted beyond the report formats (<c>kernels</c>: <c>compute-flow</c>).</param>
    public PassReportOptions(string? passDescription = null, params string[] extraFormats)
        : base(extraFormats) =>
        Pass = passDescription is null ? CommonOptions.Pass() : CommonOptions.Pass(passDescription);

    /// <summary><c>--run ID</c> (required).</summary>
    public Option<long?> Run { get; } = CommonOptions.Run(required: true);

    /// <summary><c>--pass N</c> (0-based <c>pass_idx</c>; absent: the default pass).</summary>
    public Option<int?> Pass { get; }

    /// <summary><c>--device N</c> (absent: the run's lowest device).</summary>
    public Option<int?> Device { get; } = CommonOptions.Device();

    /// <summary><c>--phase PHASE</c> (issue 4): the default pass is chosen among the passes of that phase.</summary>
    public Option<string?> Phase { get; } = PassScope.PhaseOption();

    /// <summary>All eight, in the order <c>layers</c> and <c>clusters</c> show them: db, format, columns, wide, run, pass, device, phase.</summary>
    public IReadOnlyList<Option> All => [Db, Format, Columns, Wide, Run, Pass, Device, Phase];

    /// <summary>The <c>--run</c> id (the parser has made sure it is given).</summary>
    public long RunId(ParseResult parse) => parse.GetValue(Run)!.Value;

    /// <summary>
    /// The run, device and pass the report is about (<see cref="PassScope.Resolve"/> with <c>--run</c>,
    /// <c>--device</c>, <c>--pass</c> and <c>--phase</c>); a default pass's choice is written to <paramref name="notes"/>.
    /// </summary>
    /// <exception cref="QueryException">Unknown run, device or pass, or a pass of another phase.</exception>
    public PassScope ResolveScope(ReportDatabase db, ParseResult parse, TextWriter notes) =>
        PassScope.Resolve(db, RunId(parse), parse.GetValue(Device), parse.GetValue(Pass), notes, parse.GetValue(Phase));
}
