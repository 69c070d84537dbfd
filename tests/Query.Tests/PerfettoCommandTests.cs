using System.Net;
using System.Net.Sockets;
using LlmPipeline.Query.Commands.Perfetto;
using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using LlmPipeline.TraceGen;
using Xunit;

namespace LlmPipeline.Query.Tests;

public sealed class PerfettoCommandTests
{
    [Fact]
    public void Perfetto_ranges_equal_ts_minus_trace_start_and_links_carry_file_ns()
    {
        using var db = new FixtureDatabase();
        var r = db.Run("perfetto", "--run", "1", "--pass", "2", "--layers", "1", "--format", "csv");
        Assert.Equal(0, r.ExitCode);
        var rows = Parse.Csv(r.Stdout);
        Assert.Equal(5, rows.Count); // 4 passes + layer 1 of pass 2
        var pass0 = rows[0];
        Assert.Equal("pass", pass0["kind"]);
        Assert.Equal((1010000 - 1000000) / 1e9, Parse.D(pass0["start_s"]), 12);
        Assert.Equal((1093000 - 1000000) / 1e9, Parse.D(pass0["end_s"]), 12);
        Assert.Equal("1010000", pass0["perfetto_start_ns"]);
        Assert.Equal("https://ui.perfetto.dev/#!/?url=http://127.0.0.1:9001/qwen_decode.json.gz&visStart=1010000&visEnd=1093000", pass0["url"]);
        var layer = rows[4];
        Assert.Equal("layer", layer["kind"]);
        Assert.Equal("2", layer["pass_idx"]);
        Assert.Equal("1", layer["layer_idx"]);
        Assert.Equal((1260000 - 1000000) / 1e9, Parse.D(layer["start_s"]), 12);
        Assert.Equal((1286000 - 1000000) / 1e9, Parse.D(layer["end_s"]), 12);
        Assert.Equal(0.026, Parse.D(layer["duration_ms"]), 12);
        Assert.EndsWith("&visStart=1260000&visEnd=1286000", layer["url"]);
    }

    [Fact]
    public void Perfetto_start_s_is_rounded_to_the_microsecond()
    {
        using var db = new FixtureDatabase();
        db.Execute("UPDATE passes SET start_ns = 1010600 WHERE pass_idx = 0;");
        var rows = Parse.Csv(db.Run("perfetto", "--run", "1", "--format", "csv").Stdout);
        Assert.Equal(4, rows.Count);
        Assert.Equal(0.000011, Parse.D(rows[0]["start_s"]), 12); // 10.6 us -> 11 us
    }

    [Fact]
    public void Perfetto_ns_of_absolute_epoch_timestamps_are_perfettos_double_rounded_values()
    {
        // ts written as absolute epoch us with three decimals (~1.7e15 us): a double cannot hold every ns. Each range's
        // Perfetto start is llround(double("<start us>") * 1000) of its first kernel, its end the greatest
        // Ns(ts) + Ns(dur) of its kernels, worked out by hand (doubles are 256 ns apart at 1.7e18). The first:
        // "1712195495519695.800" -> 1712195495519695.75 -> x 1000 -> 1712195495519695872 (72 ns past the text).
        using var dir = new TempDir();
        var trace = dir.File("epoch.json");
        TraceWriter.WriteFile(new TraceSpec
        {
            Shape = TraceShape.Generic, NumLayers = 4, Passes = 3, WorldSize = 1, Seed = 3, StartOffsetNs = 1_712_195_495_519_695_800,
        }, trace, gzip: false);
        var db = dir.File("e.db");
        Assert.Equal(0, Llmpipe.Run("ingest", trace, "--num-layers", "4", "--db", db, "--quiet").ExitCode);
        var rows = Parse.Csv(Llmpipe.Run("perfetto", "--run", "1", "--pass", "1", "--format", "csv", "--db", db).Stdout);
        var exactStarts = Parse.Json(Llmpipe.Run("sql", """
            SELECT start_ns FROM (
                SELECT 'pass' AS kind, pass_idx, NULL AS layer_idx, start_ns FROM passes WHERE run_id = 1
                UNION ALL
                SELECT 'layer', pass_idx, layer_idx, start_ns FROM layers WHERE run_id = 1 AND pass_idx = 1)
            ORDER BY kind DESC, pass_idx, layer_idx
            """, "--format", "json", "--db", db).Stdout).EnumerateArray().Select(r => r.GetProperty("start_ns").GetInt64()).ToList();
        (string Kind, string Pass, string Layer, long ExactStartNs, string PerfettoStartNs, string PerfettoEndNs)[] expected =
        [
            ("pass", "0", "", 1712195495519695800, "1712195495519695872", "1712195495520066104"),
            ("pass", "1", "", 1712195495520462346, "1712195495520462336", "1712195495520832463"),
            ("pass", "2", "", 1712195495521192368, "1712195495521192192", "1712195495521564110"),
            ("layer", "1", "0", 1712195495520467582, "1712195495520467456", "1712195495520545692"),
            ("layer", "1", "1", 1712195495520547030, "1712195495520547072", "1712195495520627277"),
            ("layer", "1", "2", 1712195495520628719, "1712195495520628736", "1712195495520712148"),
            ("layer", "1", "3", 1712195495520714372, "1712195495520714240", "1712195495520794786"),
        ];
        Assert.Equal(expected.Select(e => e.ExactStartNs), exactStarts);
        Assert.Equal(expected.Length, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var (kind, pass, layer, _, startNs, endNs) = expected[i];
            Assert.Equal((kind, pass, layer), (rows[i]["kind"], rows[i]["pass_idx"], rows[i]["layer_idx"]));
            Assert.Equal((startNs, endNs), (rows[i]["perfetto_start_ns"], rows[i]["perfetto_end_ns"]));
            Assert.EndsWith($"&visStart={startNs}&visEnd={endNs}", rows[i]["url"]);
        }
    }

    [Fact]
    public void Perfetto_rejects_bad_layer_list_as_usage_error()
    {
        using var db = new FixtureDatabase();
        var r = db.Run("perfetto", "--run", "1", "--layers", "1,x");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("'x' is not a layer number", r.Stderr);
    }

    [Fact]
    public async Task TraceFileServer_serves_the_file_with_perfetto_cors_header()
    {
        using var db = new FixtureDatabase();
        var trace = db.File("my trace.json");
        await File.WriteAllTextAsync(trace, "{\"traceEvents\":[]}");
        var port = FreePort();
        using var server = TraceFileServer.Start(trace, port);
        using var http = new HttpClient();
        var response = await http.GetAsync($"http://127.0.0.1:{port}/my%20trace.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("https://ui.perfetto.dev", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("{\"traceEvents\":[]}", await response.Content.ReadAsStringAsync());
        var missing = await http.GetAsync($"http://127.0.0.1:{port}/other.json");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
