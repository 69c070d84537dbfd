using System.Text;
using LlmPipeline.Ingest.GraphReplays;

namespace LlmPipeline.Ingest.Reading;

/// <summary>
/// Maps a <c>cat</c> text to <see cref="EventCategory"/>: ASCII case-insensitive, legacy spellings folded
/// (Kineto <c>ActivityType.h</c>, 2021-era traces; docs/trace-format.md, 'Categories'), the runtime and driver categories of every device backend
/// folded into the CUDA ones (<c>xpu_runtime</c>, <c>privateuse1_runtime</c>, <c>mtia_runtime</c> →
/// <see cref="EventCategory.CudaRuntime"/>; <c>xpu_driver</c>, <c>privateuse1_driver</c> →
/// <see cref="EventCategory.CudaDriver"/>: their records launch kernels the same way, pytorch/kineto#1467),
/// comma-joined categories resolved by their first known member.
/// </summary>
internal static class CategoryParser
{
    public static EventCategory Parse(ReadOnlySpan<byte> cat)
    {
        var single = ParseOne(cat);
        if (single != EventCategory.Other || cat.IndexOf((byte)',') < 0) return single;
        foreach (var range in cat.Split((byte)','))
        {
            var member = ParseOne(cat[range].Trim((byte)' '));
            if (member != EventCategory.Other) return member;
        }
        return EventCategory.Other;
    }

    private static EventCategory ParseOne(ReadOnlySpan<byte> c)
    {
        // Exact lower-case spellings first: they are what modern Kineto writes.
        switch (c.Length)
        {
            case 4:
                if (c.SequenceEqual("ac2g"u8)) return EventCategory.Flow;
                break;
            case 6:
                if (c.SequenceEqual("kernel"u8)) return EventCategory.Kernel;
                if (c.SequenceEqual("cpu_op"u8)) return EventCategory.CpuOp;
                break;
            case 12:
                if (c.SequenceEqual("cuda_runtime"u8)) return EventCategory.CudaRuntime;
                break;
            case 15:
                if (c.SequenceEqual("python_function"u8)) return EventCategory.PythonFunction;
                if (c.SequenceEqual("user_annotation"u8)) return EventCategory.UserAnnotation;
                break;
        }
        if (Is(c, "kernel"u8)) return EventCategory.Kernel;
        if (Is(c, "gpu_memcpy"u8) || Is(c, "memcpy"u8)) return EventCategory.GpuMemcpy;
        if (Is(c, "gpu_memset"u8) || Is(c, "memset"u8)) return EventCategory.GpuMemset;
        if (Is(c, "cpu_op"u8) || Is(c, "operator"u8)) return EventCategory.CpuOp;
        if (Is(c, "user_annotation"u8)) return EventCategory.UserAnnotation;
        if (Is(c, "gpu_user_annotation"u8)) return EventCategory.GpuUserAnnotation;
        if (Is(c, "cuda_runtime"u8) || Is(c, "runtime"u8) || Is(c, "xpu_runtime"u8) || Is(c, "privateuse1_runtime"u8) || Is(c, "mtia_runtime"u8))
            return EventCategory.CudaRuntime;
        if (Is(c, "cuda_driver"u8) || Is(c, "xpu_driver"u8) || Is(c, "privateuse1_driver"u8)) return EventCategory.CudaDriver;
        if (Is(c, "python_function"u8)) return EventCategory.PythonFunction;
        if (Is(c, "ac2g"u8) || Is(c, "async"u8) || Is(c, "async_gpu"u8) || Is(c, "async_cpu_to_gpu"u8) || Is(c, "fwdbwd"u8))
            return EventCategory.Flow;
        if (Is(c, "trace"u8)) return EventCategory.Trace;
        return EventCategory.Other;
    }

    private static bool Is(ReadOnlySpan<byte> c, ReadOnlySpan<byte> known) =>
        c.Length == known.Length && Ascii.EqualsIgnoreCase(c, known);
}
