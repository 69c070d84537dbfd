using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Clusters;

/// <summary><c>llmpipe clusters --run ID [--pass N]</c>: one row per layer type of a pass (docs/reference-analysis.md, 'Cluster table').</summary>
public sealed class ClustersCommandDefinition() : PassReportCommandDefinition("clusters", Description, ClustersCommandAction.Run)
{
    /// <summary>The command's help text.</summary>
    private const string Description = """
        Group the layers of a forward pass by layer type (every label present): layer count, average wall, sum,
        busy, idle and exposed-communication time, and each category group's share of the summed kernel time
        (views layer_clusters and layer_cluster_groups).

        Example:
          llmpipe clusters --run 1 --pass 2
        """;
}
