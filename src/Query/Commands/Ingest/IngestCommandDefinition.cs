using System.CommandLine;
using LlmPipeline.Query.Cli;

namespace LlmPipeline.Query.Commands.Ingest;

/// <summary><c>llmpipe ingest TRACE...</c>: one run per trace file (issue 2).</summary>
public sealed class IngestCommandDefinition
{
    /// <summary>Builds the command.</summary>
    /// <param name="stderrIsTerminal">Whether stderr is a terminal (progress is shown only then, and not with --quiet).</param>
    /// <param name="interruption">Ctrl-C: the ingest stops, says what was stored and what was not, and exits 130.</param>
    public IngestCommandDefinition(bool stderrIsTerminal, Interruption interruption)
    {
        StderrIsTerminal = stderrIsTerminal;
        Interruption = interruption;
        AnchorRole.AcceptOnlyFromAmong("opens", "closes");
        Command = new Command("ingest", """
            Ingest torch.profiler / Kineto trace files (.json or gzip) into the database, one run per file: kernels,
            forward passes and layers. A TRACE may be a file, a directory (every *.json / *.json.gz below it) or a
            quoted pattern with * ** ? . Files of one capture taken on several ranks (names differing only in
            -TP-N, rank-N, _rankN; or distributedInfo ranks of files in one directory) form one capture, one run per
            rank (rank: distributedInfo.rank, else the file name); -DECODE / -EXTEND / -PREFILL in a name set the
            run's phase. The rank files of one capture are stored together, with the capture, in one transaction:
            a file of it that cannot be read fails alone and the others are stored as the capture without that rank
            (ingest the set again once the file is fixed: it is added and the capture regrouped). Prints a short
            summary of each new run (file, GPU, kernels, passes x layers, profile, anchor, layer-boundary evidence,
            notes, time and MB/s, the warnings with 'llmpipe warnings --run N'; the whole paragraph with --verbose or
            'llmpipe runs N --details'), one line per capture, and ends with one line per file (ingested as run N,
            already present as run N, or failed, its error said once on stderr); exit 0 only when no file failed.
            Ctrl-C stops the ingest: runs already stored stay, the file being read stores nothing, and the closing
            lines say which is which (exit 130).

            Environment:
              LLMPIPE_TMPDIR  folder for the staging files that hold a trace's CPU-side rows while it is
                              read (removed when the ingest ends; a file about the size of those rows)
                              [default: the system temp folder]. Set it when that is small or slow.

            Examples:
              llmpipe ingest sglang_Qwen3-8B_decode.json.gz --config config.json --label baseline
              llmpipe ingest ./profiles/ --db runs.db --num-layers 61 --tag tp=8
              llmpipe ingest 'nightly/**/*-TP-*-DECODE.trace.json.gz' --commit abc123
              llmpipe ingest vllm_decode.json.gz --capture-traces ./capture_traces/
            """)
        {
            Traces, Db, Config, Profile, AnchorKernel, AnchorRole, NumLayers, Label, Framework, Commit, Model, Tag,
            Force, Strict, Quiet, Verbose, CaptureTraces, GpuSpecs, StepMarkers,
        };
        CommandRunner.SetAction(Command, (parse, io) => IngestCommandAction.Run(this, parse, io));
    }

    /// <summary>The command.</summary>
    public Command Command { get; }

    /// <summary>Whether stderr is a terminal.</summary>
    public bool StderrIsTerminal { get; }

    /// <summary>Ctrl-C as the process receives it.</summary>
    public Interruption Interruption { get; }

    /// <summary>TRACE... (one or more files).</summary>
    public Argument<string[]> Traces { get; } = new("TRACE") { Description = "Trace files, directories or quoted patterns (.json, .json.gz; format detected from the bytes)", Arity = ArgumentArity.OneOrMore };

    /// <summary><c>--db</c>.</summary>
    public Option<string> Db { get; } = CommonOptions.Db();

    /// <summary><c>--config</c>.</summary>
    public Option<string?> Config { get; } = new("--config") { Description = "Model config.json [default: config.json next to the trace, when present]", HelpName = "FILE" };

    /// <summary><c>--profile</c>.</summary>
    public Option<string?> Profile { get; } = new("--profile") { Description = "Profile name (see 'llmpipe profiles list') or profile JSON file [default: inferred from the config]", HelpName = "NAME|FILE" };

    /// <summary><c>--anchor-kernel</c>.</summary>
    public Option<string?> AnchorKernel { get; } = new("--anchor-kernel") { Description = "Anchor kernel name pattern (case-insensitive substring) [default: the profile's, else detected]", HelpName = "S" };

    /// <summary><c>--anchor-role</c>.</summary>
    public Option<string?> AnchorRole { get; } = new("--anchor-role") { Description = "Whether the anchor opens or closes its block [default: the profile's]", HelpName = "opens|closes" };

    /// <summary><c>--num-layers</c>.</summary>
    public Option<int?> NumLayers { get; } = new("--num-layers") { Description = "Transformer layers per pass [default: config, else detected]", HelpName = "N" };

    /// <summary><c>--label</c>.</summary>
    public Option<string?> Label { get; } = new("--label") { Description = "Free-text label of the run", HelpName = "S" };

    /// <summary><c>--framework</c>.</summary>
    public Option<string?> Framework { get; } = new("--framework") { Description = "Serving framework (vllm, sglang, ...) [default: inferred]", HelpName = "S" };

    /// <summary><c>--commit</c>.</summary>
    public Option<string?> Commit { get; } = new("--commit") { Description = "Git commit of the code that was profiled", HelpName = "S" };

    /// <summary><c>--model</c>.</summary>
    public Option<string?> Model { get; } = new("--model") { Description = "Model name [default: inferred]", HelpName = "S" };

    /// <summary><c>--tag KEY=VALUE</c> (repeatable).</summary>
    public Option<string[]> Tag { get; } = new("--tag") { Description = "KEY=VALUE tag stored with the run (repeatable)", HelpName = "KEY=VALUE" };

    /// <summary><c>--force</c>.</summary>
    public Option<bool> Force { get; } = new("--force") { Description = "Ingest again even when the same file with the same options is present" };

    /// <summary><c>--strict</c>.</summary>
    public Option<bool> Strict { get; } = new("--strict") { Description = "Treat the first trace problem as an error instead of repairing and counting it" };

    /// <summary><c>--gpu-specs FILE</c>: GPU peaks that add to or override the shipped table.</summary>
    public Option<string?> GpuSpecs { get; } = new("--gpu-specs") { Description = "JSON file of GPU peaks ({\"gpus\": [{\"name\", \"patterns\", \"memory_gbps\", \"tflops\": {\"bf16\": ...}}]}) adding to or replacing the shipped entries (matched on the device name) [default: the shipped table]", HelpName = "FILE" };

    /// <summary><c>--capture-traces</c> (docs/messy-traces.md, B26).</summary>
    public Option<string?> CaptureTraces { get; } = new("--capture-traces") { Description = "Companion capture traces (file or folder) whose kernel sequences give CUDA-graph replay kernels their cpu_op and input shapes [default: a capture_traces/ folder next to each trace, when present]", HelpName = "DIR|FILE" };

    /// <summary><c>--step-markers</c> (issue 4: step-marker grammars as data).</summary>
    public Option<string?> StepMarkers { get; } = new("--step-markers") { Description = "Phase-rules JSON (step_markers and/or attention_signatures, the format of the built-in step_markers.json) tried before the built-in rules, for an engine whose step annotations are not known yet", HelpName = "FILE" };

    /// <summary><c>--quiet</c>.</summary>
    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "No progress display" };

    /// <summary><c>--verbose</c>: the whole summary paragraph of each run instead of the short summary.</summary>
    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Print each new run's whole summary paragraph (what 'llmpipe runs N --details' shows) instead of the short summary" };
}
