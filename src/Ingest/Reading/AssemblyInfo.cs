using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("LlmPipeline.Ingest.Tests")]
