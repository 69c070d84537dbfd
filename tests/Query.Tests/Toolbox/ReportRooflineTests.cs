using System.Globalization;
using System.Text.RegularExpressions;
using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using Microsoft.Data.Sqlite;
using PuppeteerSharp;
using Xunit;

namespace LlmPipeline.Query.Tests.Toolbox;

/// <summary>
/// The report's roofline (inline SVG, log-log FLOPs/byte against achieved TFLOP/s under the GPU's roofs) and MFU / MBU
/// per layer type (issue 20), on the shipped sample (SGLang Qwen3-8B decode on MI300X, with its capture traces).
/// </summary>
public sealed class ReportRooflineTests : IClassFixture<SampleDatabaseFixture>
{
    private const string Chromium = "/usr/bin/chromium";
    // GEMMs 2*32*4096*(6144+4096+24576) + 2*32*12288*4096, paged decode attention 2*32*(128+128)*32785 (the step
    // annotation's 32,785 context tokens).
    private const long LayerFlops = 12_348_030_976L + 537_149_440L;
    private readonly SampleDatabaseFixture _sample;

    public ReportRooflineTests(SampleDatabaseFixture sample) => _sample = sample;

    private string Report(TempDir dir)
    {
        var html = dir.File("report.html");
        var r = Llmpipe.Run("report", "--run", "1", "--out", html, "--db", _sample.Path);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return html;
    }

    private double Scalar(string sql)
    {
        using var c = new SqliteConnection($"Data Source={_sample.Path};Mode=ReadOnly");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToDouble(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Report_has_mfu_and_mbu_per_layer_type_and_a_roofline_with_roofs_axes_and_one_point_per_shape()
    {
        using var dir = new TempDir();
        var html = File.ReadAllText(Report(dir));
        // MFU of the 34 MIDDLE layers: 100 * 34 * LayerFlops / (their summed wall * 1e6) / 1307.4 (MI300X dense bf16).
        var wallUs = Scalar("SELECT SUM(wall_us) FROM layer_efficiency WHERE run_id = 1 AND pass_idx = 0 AND layer_type = 'MIDDLE'");
        var m = Regex.Match(html, "<tr data-layer-type=\"MIDDLE\">.*?class=\"n mfu\" data-value=\"([^\"]+)\".*?class=\"n mbu\" data-value=\"([^\"]+)\"");
        Assert.True(m.Success, "no MIDDLE efficiency row");
        Assert.Equal(100.0 * 34 * LayerFlops / (wallUs * 1e6) / 1307.4, double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), 9);
        Assert.InRange(double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), 1, 100);

        Assert.Contains("data-peak-tflops=\"1307.4\" data-peak-gbps=\"5300\"", html);
        Assert.Contains("Arithmetic intensity (FLOPs/byte, log scale)", html);
        Assert.Contains("Achieved TFLOP/s (log scale)", html);
        Assert.Contains("compute roof 1307.4 TFLOP/s", html);
        Assert.Contains("bandwidth roof 5300 GB/s", html);
        // Six shapes: fused QKV, O, gate+up, down (36 kernels each), lm_head (1) and the paged decode attention (36).
        var points = Regex.Matches(html, "<circle class=\"pt\"[^>]*data-flops-per-byte=\"([^\"]+)\" data-value=\"([^\"]+)\"");
        Assert.Equal(6, points.Count);
        // The attention: 537,149,440 FLOPs over the KV read 134,287,360 B + q and out 524,288 B.
        Assert.Contains(points, p => Math.Abs(double.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture) - 537_149_440.0 / 134_811_648) < 1e-9);
        // lm_head: 2*32*4096*151936 FLOPs over (32*4096 + 4096*151936 + 32*151936) * 2 bytes.
        var lmHead = 2.0 * 32 * 4096 * 151936 / ((32.0 * 4096 + 4096.0 * 151936 + 32.0 * 151936) * 2);
        Assert.Contains(points, p => Math.Abs(double.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture) - lmHead) < 1e-9);
    }

    [SkippableFact]
    [Trait("Category", "Slow")] // starts a headless Chromium: seconds of browser start-up
    public async Task Roofline_renders_in_Chromium_with_labelled_axes()
    {
        Skip.IfNot(File.Exists(Chromium), $"skipped: {Chromium} not found; scripts/install-deps.sh installs it (Debian's chromium)");
        using var dir = new TempDir();
        var html = Report(dir);
        await using var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run"],
        });
        await using var page = await browser.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, e) => { if (e.Message.Type == ConsoleType.Error) problems.Add("console: " + e.Message.Text); };
        page.PageError += (_, e) => problems.Add("page error: " + e.Message);
        await page.GoToAsync(new Uri(html).AbsoluteUri, WaitUntilNavigation.Load);
        Assert.Empty(problems);
        // Drawn: the chart has a size, its axis titles are laid out, every point lies inside the plot area.
        var size = await page.EvaluateExpressionAsync<double[]>("(() => { const r = document.querySelector('#roofline-a').getBoundingClientRect(); return [r.width, r.height]; })()");
        Assert.Equal([640.0, 400.0], size);
        var titles = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('#roofline-a text.axis-title')].filter(t => t.getBBox().width > 0).map(t => t.textContent)");
        Assert.Equal(["Arithmetic intensity (FLOPs/byte, log scale)", "Achieved TFLOP/s (log scale)"], titles);
        var inside = await page.EvaluateExpressionAsync<bool[]>(
            "[...document.querySelectorAll('#roofline-a circle.pt')].map(c => c.cx.baseVal.value >= 70 && c.cx.baseVal.value <= 620 && c.cy.baseVal.value >= 30 && c.cy.baseVal.value <= 350)");
        Assert.Equal(6, inside.Length);
        Assert.All(inside, Assert.True);
        var roof = await page.EvaluateExpressionAsync<int>("document.querySelector('#roofline-a polyline.roof').points.numberOfItems");
        Assert.Equal(3, roof);
    }
}
