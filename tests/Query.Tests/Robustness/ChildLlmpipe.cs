using System.Diagnostics;
using System.Text;

namespace LlmPipeline.Query.Tests.Robustness;

/// <summary>
/// Runs the real <c>llmpipe</c> as a child process (<c>dotnet llmpipe.dll</c>, the build copied next to this test
/// assembly), so a test can kill it or run two at once.
/// </summary>
internal sealed class ChildLlmpipe : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private ChildLlmpipe(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_stdout) _stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "llmpipe.dll");

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>dotnet llmpipe.dll ARGS</c>; <paramref name="tempDir"/> becomes its LLMPIPE_TMPDIR (staging folder).</summary>
    public static ChildLlmpipe Start(string tempDir, params string[] args)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h : "dotnet";
        var info = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["LLMPIPE_TMPDIR"] = tempDir;
        return new ChildLlmpipe(Process.Start(info) ?? throw new InvalidOperationException("cannot start dotnet"));
    }

    /// <summary>Runs to the end (at most <paramref name="timeout"/>) and returns exit code, stdout, stderr.</summary>
    public static (int Exit, string Stdout, string Stderr) Run(string tempDir, TimeSpan timeout, params string[] args)
    {
        using var child = Start(tempDir, args);
        return child.Wait(timeout);
    }

    public (int Exit, string Stdout, string Stderr) Wait(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"llmpipe did not finish in {timeout}");
        }
        _process.WaitForExit();
        lock (_stdout) lock (_stderr) return (_process.ExitCode, _stdout.ToString(), _stderr.ToString());
    }

    /// <summary>SIGKILL (no cleanup runs in the child) and wait until it is gone.</summary>
    public void Kill()
    {
        try { _process.Kill(entireProcessTree: false); } catch (InvalidOperationException) { }
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }
}
