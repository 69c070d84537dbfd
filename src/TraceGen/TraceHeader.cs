using System.Text;

namespace LlmPipeline.TraceGen;

/// <summary>Writes the top-level keys that precede <c>traceEvents</c>, in Kineto's layout.</summary>
internal static class TraceHeader
{
    public static void Write(Utf8Sink sink, TraceSpec spec, ulong traceIdBits)
    {
        var (memory, name) = spec.GpuName switch
        {
            "NVIDIA H800" => (85_029_158_912L, "NVIDIA H800"),
            "NVIDIA H100 80GB HBM3" => (85_018_279_936L, "NVIDIA H100 80GB HBM3"),
            _ => (150_754_820_096L, spec.GpuName),
        };
        int devices = Math.Max(spec.EffectiveDevice + 1, Math.Min(spec.WorldSize, 8));
        var sb = new StringBuilder(4096);
        sb.Append("{\n  \"schemaVersion\": 1,\n  \"deviceProperties\": [");
        for (int d = 0; d < devices; d++)
        {
            sb.Append(d == 0 ? "\n" : ",\n");
            sb.Append("    {\n      \"id\": ").Append(d).Append(", \"name\": \"").Append(Encoding.UTF8.GetString(EncodedKernel.Escape(name)))
              .Append("\", \"totalGlobalMem\": ").Append(memory).Append(",\n")
              .Append("      \"computeMajor\": 9, \"computeMinor\": 0,\n")
              .Append("      \"maxThreadsPerBlock\": 1024, \"maxThreadsPerMultiprocessor\": 2048,\n")
              .Append("      \"regsPerBlock\": 65536, \"regsPerMultiprocessor\": 65536, \"warpSize\": 32,\n")
              .Append("      \"sharedMemPerBlock\": 49152, \"sharedMemPerMultiprocessor\": 233472,\n")
              .Append("      \"numSms\": 132, \"sharedMemPerBlockOptin\": 232448\n    }");
        }
        sb.Append("\n  ],\n  \"distributedInfo\": {\"backend\": \"nccl\", \"rank\": ").Append(spec.Rank)
          .Append(", \"world_size\": ").Append(spec.WorldSize)
          .Append(", \"pg_count\": 1, \"pg_config\": [{\"pg_name\": \"0\", \"pg_desc\": \"default_pg\", \"backend_config\": \"cuda:nccl\", \"pg_size\": ")
          .Append(spec.WorldSize).Append(", \"ranks\": [");
        for (int r = 0; r < spec.WorldSize; r++) sb.Append(r == 0 ? "" : ", ").Append(r);
        sb.Append("]}], \"nccl_version\": \"2.27.3\"},\n")
          .Append("  \"record_shapes\": 1,\n  \"with_stack\": 0,\n  \"profile_memory\": 0,\n")
          .Append("  \"cupti_version\": 26,\n  \"cuda_runtime_version\": 12080,\n  \"cuda_driver_version\": 12080,\n")
          .Append("  \"trace_id\": \"").Append(traceIdBits.ToString("X16")).Append("\",\n")
          .Append("  \"baseTimeNanoseconds\": ").Append(spec.BaseTimeNanoseconds).Append(",\n")
          .Append("  \"displayTimeUnit\": \"ms\",\n  \"traceEvents\": [");
        sink.Raw(Encoding.UTF8.GetBytes(sb.ToString()));
    }
}
