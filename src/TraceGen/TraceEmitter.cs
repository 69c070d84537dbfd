using System.Text;

namespace LlmPipeline.TraceGen;

/// <summary>Schedules and writes one trace; one instance per <see cref="TraceWriter.Write"/> call.</summary>
internal sealed class TraceEmitter
{
    private const long CpuLeadNs = 25_000;        // the CPU starts launching a pass 25 µs before its first kernel
    private const long LaunchLatencyNs = 1_200;   // cudaLaunchKernel end → earliest kernel start

    private readonly TraceSpec _spec;
    private readonly Utf8Sink _sink;
    private readonly EncodedKernel[] _plan;
    private readonly List<PlannedKernel> _planned;
    private readonly double[] _slotScale;
    private readonly long _cpuPid;
    private readonly int _device;
    private readonly byte[]? _annotationName;
    private SplitMix64 _rng;

    private readonly long[] _ts, _dur, _cpuTs, _cpuDur, _rtTs, _rtDur;
    private readonly int[] _stream;

    private long _ext = 1, _corr = 100_000, _evIdx;
    private long _events;
    private bool _firstEvent = true;
    private long _cpuCursor;
    private long _prevPassEnd;
    private int _lastHi;

    private long _kernels, _durSum, _firstTs = long.MaxValue, _lastTs = long.MinValue, _lastEnd;
    private readonly List<long> _passStart = [], _passEnd = [];

    public TraceEmitter(TraceSpec spec, Stream output)
    {
        _spec = spec;
        _sink = new Utf8Sink(output);
        var plan = PassPlan.Build(spec);
        _planned = plan;
        int firstLayerStart = PassPlan.LayerStartOffset(plan, 0), secondLayerStart = PassPlan.LayerStartOffset(plan, Math.Min(1, spec.EffectiveNumLayers));
        int lastLayerStart = PassPlan.LayerStartOffset(plan, spec.EffectiveNumLayers - 1);
        if (spec.TrimFirstPassKernels > lastLayerStart)
            throw new ArgumentException($"TrimFirstPassKernels {spec.TrimFirstPassKernels} must leave the last layer whole (at most {lastLayerStart}).", nameof(spec));
        if (spec.KeepLastPassKernels > 0 && spec.KeepLastPassKernels < Math.Max(secondLayerStart, firstLayerStart + 1))
            throw new ArgumentException($"KeepLastPassKernels {spec.KeepLastPassKernels} must keep layer 0 whole (at least {secondLayerStart}).", nameof(spec));
        if (spec.Passes == 1 && spec.TargetJsonBytes <= 0 && spec.KeepLastPassKernels > 0 && spec.KeepLastPassKernels <= spec.TrimFirstPassKernels)
            throw new ArgumentException("With one pass, KeepLastPassKernels must exceed TrimFirstPassKernels.", nameof(spec));
        var encoded = new Dictionary<KernelTemplate, EncodedKernel>(ReferenceEqualityComparer.Instance);
        _plan = new EncodedKernel[plan.Count];
        _slotScale = new double[plan.Count];
        for (int i = 0; i < plan.Count; i++)
        {
            var t = plan[i].Template;
            if (!(t.DurationUs > 0)) throw new ArgumentException($"Kernel '{t.Name}' has DurationUs {t.DurationUs}; must be > 0.", nameof(spec));
            if (!encoded.TryGetValue(t, out var e)) encoded[t] = e = new EncodedKernel(t, 132);
            _plan[i] = e;
            int layer = plan[i].Layer;
            _slotScale[i] = layer < 0 ? 1.0
                : spec.LayerTimeScale * (layer < spec.LayerTimeScales.Count ? spec.LayerTimeScales[layer] : 1.0);
        }
        int n = plan.Count;
        _ts = new long[n]; _dur = new long[n]; _cpuTs = new long[n]; _cpuDur = new long[n];
        _rtTs = new long[n]; _rtDur = new long[n]; _stream = new int[n];
        _cpuPid = 312_400 + spec.Rank;
        _device = spec.EffectiveDevice;
        _rng = new SplitMix64(spec.Seed * 0x9E3779B97F4A7C15UL ^ ((ulong)spec.Rank + 1) * 0xD1B54A32D192ED03UL);
        _annotationName = spec.StepAnnotations switch
        {
            StepAnnotationStyle.SGLang => EncodedKernel.Escape($"step[DECODE bs={spec.BatchSize}]"),
            StepAnnotationStyle.Vllm => EncodedKernel.Escape($"execute_context_0(0)_generation_{spec.BatchSize}({spec.BatchSize})"),
            _ => null,
        };
    }

    public TraceGenResult Run()
    {
        long profStart = _spec.StartOffsetNs - 1_000_000;
        TraceHeader.Write(_sink, _spec, _rng.Next());
        WriteMetadataEvents(profStart);

        int pass = 0;
        long lastPassBytes = 0;
        while (true)
        {
            if (pass > 0)
            {
                if (_spec.TargetJsonBytes > 0)
                {
                    if (_sink.BytesWritten + lastPassBytes / 2 >= _spec.TargetJsonBytes) break;
                }
                else if (pass >= _spec.Passes) break;
            }
            long before = _sink.BytesWritten;
            int lo = pass == 0 ? _spec.TrimFirstPassKernels : 0;
            int hi = _spec.TargetJsonBytes <= 0 && pass == _spec.Passes - 1 && _spec.KeepLastPassKernels > 0 ? _spec.KeepLastPassKernels : _plan.Length;
            _lastHi = hi;
            Schedule(pass, lo, hi);
            WritePass(lo, hi);
            lastPassBytes = _sink.BytesWritten - before;
            pass++;
        }

        WriteTraceSpan(profStart, _lastEnd + 1_000);
        _sink.Raw("\n  ],\n  \"traceName\": \""u8);
        _sink.Raw(EncodedKernel.Escape(_spec.TraceName ?? $"synthetic_{_spec.Shape}_rank{_spec.Rank}.pt.trace.json"));
        _sink.Raw("\"\n}\n"u8);
        _sink.Flush();
        return new TraceGenResult(_kernels, _events, _sink.BytesWritten, pass, _durSum,
            _firstTs, _lastTs, _lastEnd, _passStart.ToArray(), _passEnd.ToArray())
        {
            Truth = new TraceTruth(_planned, pass, _spec.TrimFirstPassKernels, _lastHi, _device),
        };
    }

    private void Schedule(int pass, int lo, int hi)
    {
        var spec = _spec;
        double ps = pass < spec.PassTimeScales.Count ? spec.PassTimeScales[pass] : 1.0;
        long passStart = pass == 0
            ? spec.StartOffsetNs
            : _prevPassEnd + (long)Math.Round(spec.IdleGapBetweenPassesUs * 1000.0 * (1 + 0.1 * _rng.NextSigned()));
        _cpuCursor = Math.Max(_cpuCursor + 5_000, passStart - CpuLeadNs);
        double overlap = spec.SecondStreamOverlap;
        long mainEnd = -1, mainPrevStart = 0, mainPrevDur = 0, secondEnd = 0, passEnd = 0;
        for (int i = lo; i < hi; i++)
        {
            var k = _plan[i];
            long dur = Math.Max(100, (long)Math.Round(k.DurationNs * ps * _slotScale[i] * (1 + spec.JitterFraction * _rng.NextSigned())));
            long gap = (long)Math.Round(spec.KernelGapUs * 1000.0 * ps * (0.5 + _rng.NextDouble()));
            long cpuDur = (long)Math.Round(4_600 * (1 + 0.1 * _rng.NextSigned()));
            long rtDur = (long)Math.Round(2_600 * (1 + 0.1 * _rng.NextSigned()));
            long cpuTs = _cpuCursor, rtTs = cpuTs + 900;
            _cpuCursor = cpuTs + cpuDur + 600;
            long ready = rtTs + rtDur + LaunchLatencyNs;

            long ts;
            int stream;
            if (k.Template.IsCollective && overlap > 0 && mainEnd >= 0)
            {
                ts = Math.Max(Math.Max(mainPrevStart + (long)(mainPrevDur * (1 - overlap)), ready), secondEnd + 500);
                stream = spec.SecondStreamId;
                secondEnd = ts + dur;
                mainEnd = Math.Max(mainEnd, secondEnd);
            }
            else
            {
                ts = mainEnd < 0 ? Math.Max(passStart, ready) : Math.Max(mainEnd + gap, ready);
                stream = spec.MainStreamId;
                mainPrevStart = ts;
                mainPrevDur = dur;
                mainEnd = Math.Max(mainEnd, ts + dur);
            }
            _ts[i] = ts; _dur[i] = dur; _stream[i] = stream;
            _cpuTs[i] = cpuTs; _cpuDur[i] = cpuDur; _rtTs[i] = rtTs; _rtDur[i] = rtDur;
            passEnd = Math.Max(passEnd, ts + dur);
            _kernels++;
            _durSum += dur;
            if (ts < _firstTs) _firstTs = ts;
            if (ts > _lastTs) _lastTs = ts;
        }
        _lastEnd = Math.Max(_lastEnd, passEnd);
        _passStart.Add(_ts[lo]);
        _passEnd.Add(passEnd);
        _prevPassEnd = passEnd;
    }

    private void WritePass(int lo, int hi)
    {
        bool cpu = _spec.IncludeCpuSide;
        if (_annotationName is not null)
        {
            long ext = _ext++;
            long cpuStart = _cpuTs[lo] - 3_000, cpuEnd = _cpuTs[hi - 1] + _cpuDur[hi - 1] + 2_000;
            Annotation("user_annotation"u8, _cpuPid, _cpuPid, cpuStart, cpuEnd - cpuStart, ext);
            long start = _passStart[^1];
            Annotation("gpu_user_annotation"u8, _device, _spec.MainStreamId, start, _passEnd[^1] - start, ext);
        }
        for (int i = lo; i < hi; i++)
        {
            var k = _plan[i];
            long ext = _ext++, corr = _corr++;
            if (cpu)
            {
                CpuOp(k, ext, _cpuTs[i], _cpuDur[i]);
                Runtime(ext, corr, _rtTs[i], _rtDur[i]);
                Flow(start: true, corr, _cpuPid, _cpuPid, _rtTs[i]);
            }
            Kernel(k, ext, corr, _ts[i], _dur[i], _stream[i]);
            if (cpu) Flow(start: false, corr, _device, _stream[i], _ts[i]);
        }
    }

    private void Begin()
    {
        _sink.Raw(_firstEvent ? "\n  {\n"u8 : ",\n  {\n"u8);
        _firstEvent = false;
        _events++;
    }

    private void PidTidTsDur(long pid, long tid, long ts, long dur)
    {
        var s = _sink;
        s.Raw("\", \"pid\": "u8); s.Int(pid);
        s.Raw(", \"tid\": "u8); s.Int(tid);
        s.Raw(",\n    \"ts\": "u8); s.Micros(ts);
        s.Raw(", \"dur\": "u8); s.Micros(dur);
    }

    private void Kernel(EncodedKernel k, long ext, long corr, long ts, long dur, int stream)
    {
        Begin();
        var s = _sink;
        s.Raw("    \"ph\": \"X\", \"cat\": \"kernel\", \"name\": \""u8); s.Raw(k.Name);
        PidTidTsDur(_device, stream, ts, dur);
        s.Raw(",\n    \"args\": {\n      \"External id\": "u8); s.Int(ext);
        s.Raw(",\n      \"queued\": 0, \"device\": "u8); s.Int(_device);
        s.Raw(", \"context\": 1,\n      \"stream\": "u8); s.Int(stream);
        s.Raw(", \"correlation\": "u8); s.Int(corr);
        s.Raw(k.ArgsTail);
    }

    private void CpuOp(EncodedKernel k, long ext, long ts, long dur)
    {
        Begin();
        var s = _sink;
        s.Raw("    \"ph\": \"X\", \"cat\": \"cpu_op\", \"name\": \""u8); s.Raw(k.CpuOp);
        PidTidTsDur(_cpuPid, _cpuPid, ts, dur);
        s.Raw(",\n    \"args\": {\n      \"External id\": "u8); s.Int(ext);
        s.Raw(", \"Record function id\": 0, \"Ev Idx\": "u8); s.Int(_evIdx++);
        s.Raw(",\n      \"Input Dims\": "u8); s.Raw(k.InputDims);
        s.Raw("\n    }\n  }"u8);
    }

    private void Runtime(long ext, long corr, long ts, long dur)
    {
        Begin();
        var s = _sink;
        s.Raw("    \"ph\": \"X\", \"cat\": \"cuda_runtime\", \"name\": \"cudaLaunchKernel"u8);
        PidTidTsDur(_cpuPid, _cpuPid, ts, dur);
        s.Raw(",\n    \"args\": {\n      \"External id\": "u8); s.Int(ext);
        s.Raw(", \"cbid\": 211, \"correlation\": "u8); s.Int(corr);
        s.Raw("\n    }\n  }"u8);
    }

    private void Flow(bool start, long corr, long pid, long tid, long ts)
    {
        Begin();
        var s = _sink;
        s.Raw(start ? "    \"ph\": \"s\", \"id\": "u8 : "    \"ph\": \"f\", \"id\": "u8); s.Int(corr);
        s.Raw(", \"pid\": "u8); s.Int(pid);
        s.Raw(", \"tid\": "u8); s.Int(tid);
        s.Raw(", \"ts\": "u8); s.Micros(ts);
        s.Raw(start ? ",\n    \"cat\": \"ac2g\", \"name\": \"ac2g\"\n  }"u8 : ",\n    \"cat\": \"ac2g\", \"name\": \"ac2g\", \"bp\": \"e\"\n  }"u8);
    }

    private void Annotation(ReadOnlySpan<byte> cat, long pid, long tid, long ts, long dur, long ext)
    {
        Begin();
        var s = _sink;
        s.Raw("    \"ph\": \"X\", \"cat\": \""u8); s.Raw(cat);
        s.Raw("\", \"name\": \""u8); s.Raw(_annotationName!);
        PidTidTsDur(pid, tid, ts, dur);
        s.Raw(",\n    \"args\": {\n      \"External id\": "u8); s.Int(ext);
        s.Raw("\n    }\n  }"u8);
    }

    private void Metadata(ReadOnlySpan<byte> what, long pid, long tid, long ts, string argKey, string value)
    {
        Begin();
        var s = _sink;
        s.Raw("    \"name\": \""u8); s.Raw(what);
        s.Raw("\", \"ph\": \"M\", \"ts\": "u8); s.Micros(ts);
        s.Raw(", \"pid\": "u8); s.Int(pid);
        s.Raw(", \"tid\": "u8); s.Int(tid);
        s.Raw(",\n    \"args\": {\n      \""u8); s.Raw(Encoding.UTF8.GetBytes(argKey));
        s.Raw("\": \""u8); s.Raw(EncodedKernel.Escape(value));
        s.Raw("\"\n    }\n  }"u8);
    }

    private void WriteMetadataEvents(long ts)
    {
        Metadata("process_name"u8, _cpuPid, 0, ts, "name", "python3");
        Metadata("process_labels"u8, _cpuPid, 0, ts, "labels", $"rank {_spec.Rank}");
        Metadata("thread_name"u8, _cpuPid, _cpuPid, ts, "name", $"thread {_cpuPid} (python3)");
        Metadata("process_name"u8, _device, 0, ts, "name", "python3");
        Metadata("process_labels"u8, _device, 0, ts, "labels", $"GPU {_device}");
        Metadata("thread_name"u8, _device, _spec.MainStreamId, ts, "name", $"stream {_spec.MainStreamId} ");
        if (_spec.SecondStreamOverlap > 0)
            Metadata("thread_name"u8, _device, _spec.SecondStreamId, ts, "name", $"stream {_spec.SecondStreamId} ");
    }

    private void WriteTraceSpan(long start, long end)
    {
        Begin();
        var s = _sink;
        s.Raw("    \"ph\": \"X\", \"cat\": \"Trace\", \"ts\": "u8); s.Micros(start);
        s.Raw(", \"dur\": "u8); s.Micros(end - start);
        s.Raw(",\n    \"pid\": \"Spans\", \"tid\": \"PyTorch Profiler\",\n    \"name\": \"PyTorch Profiler (0)\",\n    \"args\": {\n      \"Op count\": 0\n    }\n  }"u8);
        Begin();
        s.Raw("    \"name\": \"Record Window End\", \"ph\": \"i\", \"s\": \"g\",\n    \"pid\": \"\", \"tid\": \"\", \"ts\": "u8); s.Micros(end);
        s.Raw("\n  }"u8);
    }
}
