using System.Net;

namespace LlmPipeline.Query.Commands.Perfetto;

/// <summary>
/// Serves one trace file over HTTP the way Perfetto's <c>tools/open_trace_in_ui</c> does: on
/// <c>http://127.0.0.1:9001/&lt;file name&gt;</c> (9001 is the only port the Perfetto UI's content security policy
/// allows for local traces) with <c>Access-Control-Allow-Origin: https://ui.perfetto.dev</c>, so a link
/// <c>https://ui.perfetto.dev/#!/?url=http://127.0.0.1:9001/&lt;file&gt;</c> opens it (docs/trace-format.md, 'Perfetto's timestamps').
/// </summary>
public sealed class TraceFileServer : IDisposable
{
    /// <summary>The port the Perfetto UI accepts for local trace URLs.</summary>
    public const int PerfettoPort = 9001;

    /// <summary>The origin allowed to read the file.</summary>
    public const string PerfettoOrigin = "https://ui.perfetto.dev";

    private readonly HttpListener _listener;
    private readonly string _path;
    private readonly Task _loop;

    private TraceFileServer(string path, int port)
    {
        _path = Path.GetFullPath(path);
        FileName = Path.GetFileName(path);
        FileUrl = $"http://127.0.0.1:{port}/{FileName}";
        _listener = new HttpListener();
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The served file's name (the URL path).</summary>
    public string FileName { get; }

    /// <summary>The URL of the file.</summary>
    public string FileUrl { get; }

    /// <summary>Starts serving <paramref name="path"/> on <paramref name="port"/> until disposed.</summary>
    /// <exception cref="HttpListenerException">The port is in use or cannot be bound.</exception>
    public static TraceFileServer Start(string path, int port) => new(path, port);

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync().ConfigureAwait(false); }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            try { await HandleAsync(context).ConfigureAwait(false); }
            catch (Exception ex) when (ex is HttpListenerException or IOException) { /* client went away */ }
            finally { context.Response.Close(); }
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var response = context.Response;
        response.AddHeader("Access-Control-Allow-Origin", PerfettoOrigin);
        response.AddHeader("Cache-Control", "no-cache");
        if (context.Request.HttpMethod == "OPTIONS")
        {
            response.AddHeader("Access-Control-Allow-Methods", "GET, OPTIONS");
            response.StatusCode = 204;
            return;
        }
        var requested = Uri.UnescapeDataString(context.Request.Url?.AbsolutePath.TrimStart('/') ?? "");
        if (!string.Equals(requested, FileName, StringComparison.Ordinal) || context.Request.HttpMethod is not ("GET" or "HEAD"))
        {
            response.StatusCode = 404;
            return;
        }
        response.ContentType = "application/octet-stream";
        await using var file = File.OpenRead(_path);
        response.ContentLength64 = file.Length;
        if (context.Request.HttpMethod == "GET")
            await file.CopyToAsync(response.OutputStream).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
    }
}
