using System.CommandLine;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Clusters;

/// <summary><c>llmpipe clusters --run ID [--pass N]</c>: one row per layer type of a pass (docs/reference-analysis.md, 'Cluster table').</summary>
public sealed class ClustersCommandDefinition
{
    /// <summary>Builds the command.</summary>
    public ClustersCommandDefinition()
    {
        Command = new Command("clusters", """
            Group the layers of a forward pass by layer type (every label present): layer count, average wall, sum,
            busy, idle and exposed-communication time, and each category group's share of the summed kernel time
            (views layer_clusters and layer_cluster_groups).

            Example:
              llmpipe clusters --run 1 --pass 2
            """) { Db, Format, Run, Pass, Device, Phase };
        CommandRunner.SetAction(Command, (parse, io) => ClustersCommandAction.Run(this, parse, io));
    }

    /// <summary>The command.</summary>
    public Command Command { get; }

    /// <summary><c>--db</c>.</summary>
    public Option<string> Db { get; } = CommonOptions.Db();

    /// <summary><c>--format</c>.</summary>
    public Option<string> Format { get; } = CommonOptions.Format();

    /// <summary><c>--run</c>.</summary>
    public Option<long?> Run { get; } = CommonOptions.Run(required: true);

    /// <summary><c>--pass</c>.</summary>
    public Option<int?> Pass { get; } = CommonOptions.Pass();

    /// <summary><c>--device</c>.</summary>
    public Option<int?> Device { get; } = CommonOptions.Device();

    /// <summary><c>--phase</c> (issue 4).</summary>
    public Option<string?> Phase { get; } = PassScope.PhaseOption();
}
