using System.Globalization;
using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using Microsoft.Data.Sqlite;
using PuppeteerSharp;
using Xunit;

namespace LlmPipeline.Query.Tests.Toolbox;

/// <summary>
/// `llmpipe report` rendered in headless Chromium (Debian `chromium`, installed by scripts/install-deps.sh; driven by
/// PuppeteerSharp without any browser download): loads without console errors or network requests, and the numbers
/// drawn equal the database's.
/// </summary>
public sealed class ReportCommandTests : IClassFixture<SampleDatabaseFixture>
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly SampleDatabaseFixture _sample;

    public ReportCommandTests(SampleDatabaseFixture sample) => _sample = sample;

    [SkippableFact]
    [Trait("Category", "Slow")] // starts a headless Chromium: seconds of browser start-up
    public async Task Report_renders_in_Chromium_without_errors_and_shows_the_database_numbers()
    {
        Skip.IfNot(File.Exists(Chromium), $"skipped: {Chromium} not found; scripts/install-deps.sh installs it (Debian's chromium)");
        using var dir = new TempDir();
        var html = dir.File("report.html");
        var r = Llmpipe.Run("report", "--run", "1", "--compare", "2", "--out", html, "--db", _sample.Path);
        Assert.True(r.ExitCode == 0, r.Stderr);

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
        page.RequestFailed += (_, e) => problems.Add("request failed: " + e.Request.Url);
        var requests = new List<string>();
        page.Request += (_, e) => requests.Add(e.Request.Url);
        await page.GoToAsync(new Uri(html).AbsoluteUri, WaitUntilNavigation.Load);
        await page.ScreenshotAsync(dir.File("report.png"), new ScreenshotOptions { FullPage = true });

        Assert.Empty(problems);
        Assert.All(requests, u => Assert.StartsWith("file://", u));

        using var db = new SqliteConnection($"Data Source={_sample.Path};Mode=ReadOnly");
        db.Open();
        var durationMs = Scalar(db, "SELECT duration_ms FROM pass_timeline WHERE run_id = 1 AND pass_idx = 0");
        var shownDuration = await page.EvaluateExpressionAsync<string>("document.querySelector('[data-testid=pass-duration-ms-a]').dataset.value");
        Assert.Equal(durationMs, double.Parse(shownDuration, CultureInfo.InvariantCulture));
        var shownText = await page.EvaluateExpressionAsync<string>("document.querySelector('[data-testid=pass-duration-ms-a]').textContent");
        Assert.Equal(Math.Round(durationMs, 2), double.Parse(shownText, CultureInfo.InvariantCulture), 2);

        // The bars of layer 7 add up to the layer's summed kernel time (layer_detail.sum_ms).
        var layerSumMs = Scalar(db, "SELECT sum_ms FROM layer_detail WHERE run_id = 1 AND pass_idx = 0 AND layer_idx = 7");
        var barSum = await page.EvaluateExpressionAsync<double>(
            "[...document.querySelectorAll('#layers-a rect.seg[data-bar=\"7\"]')].reduce((s, r) => s + parseFloat(r.dataset.value), 0)");
        Assert.Equal(layerSumMs, barSum, 9);
        var layerBars = await page.EvaluateExpressionAsync<int>("document.querySelectorAll('#layers-a g.bar').length");
        Assert.Equal(36, layerBars);

        // Same sample ingested twice: every category delta is zero.
        var deltas = await page.EvaluateExpressionAsync<double[]>("[...document.querySelectorAll('tr[data-delta]')].map(t => parseFloat(t.dataset.delta))");
        Assert.NotEmpty(deltas);
        Assert.All(deltas, d => Assert.Equal(0.0, d));
    }

    [Fact]
    public void Report_of_a_missing_run_says_which_runs_exist()
    {
        using var dir = new TempDir();
        var r = Llmpipe.Run("report", "--run", "5", "--out", dir.File("x.html"), "--db", _sample.Path);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("valid run ids: 1..2", r.Stderr);
        Assert.False(File.Exists(dir.File("x.html")));
    }

    private static double Scalar(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToDouble(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
