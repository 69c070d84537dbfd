using LlmPipeline.Ingest.GraphReplays;
namespace LlmPipeline.Ingest.Reading;

/// <summary>
/// A trace event's <c>cat</c>, normalized: case-insensitive, legacy spellings folded (<c>Kernel</c> → kernel,
/// <c>Runtime</c> → cuda_runtime, <c>Memcpy</c> → gpu_memcpy, <c>Memset</c> → gpu_memset, <c>Operator</c> → cpu_op),
/// comma-joined categories resolved by their first known member. Source: Kineto's
/// <c>libkineto/include/ActivityType.h</c> and 2021-era Kineto traces (pytorch/kineto#109); docs/trace-format.md,
/// 'Categories'.
/// </summary>
public enum EventCategory : byte
{
    /// <summary>Any category not listed below (or none).</summary>
    Other = 0,
    /// <summary><c>kernel</c> / <c>Kernel</c>: a GPU kernel.</summary>
    Kernel,
    /// <summary><c>gpu_memcpy</c> / <c>Memcpy</c>.</summary>
    GpuMemcpy,
    /// <summary><c>gpu_memset</c> / <c>Memset</c>.</summary>
    GpuMemset,
    /// <summary><c>cpu_op</c> / <c>Operator</c>: a CPU-side PyTorch operator.</summary>
    CpuOp,
    /// <summary><c>user_annotation</c>: a CPU <c>record_function</c> range.</summary>
    UserAnnotation,
    /// <summary><c>gpu_user_annotation</c>: a GPU-side range.</summary>
    GpuUserAnnotation,
    /// <summary>
    /// <c>cuda_runtime</c> / <c>Runtime</c> (also HIP runtime calls), and the runtime category of the other device
    /// backends: <c>xpu_runtime</c> (Intel XPU: <c>urEnqueueKernelLaunchWithArgsExp</c>), <c>privateuse1_runtime</c>,
    /// <c>mtia_runtime</c>. Any such record with a correlation id is a launch.
    /// </summary>
    CudaRuntime,
    /// <summary><c>cuda_driver</c> (<c>cuLaunchKernelEx</c>...), <c>xpu_driver</c>, <c>privateuse1_driver</c>.</summary>
    CudaDriver,
    /// <summary><c>python_function</c>.</summary>
    PythonFunction,
    /// <summary>Flow events: <c>ac2g</c>, <c>async</c>, <c>async_gpu</c>, <c>async_cpu_to_gpu</c>, <c>fwdbwd</c>.</summary>
    Flow,
    /// <summary><c>Trace</c>: the profiler span; also <c>ProfilerStep#N</c> markers are <c>cpu_op</c>/<c>user_annotation</c>.</summary>
    Trace,
}
