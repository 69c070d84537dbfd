using LlmPipeline.Query.Output;
using LlmPipeline.Query.Tests.Support;
using Xunit;

namespace LlmPipeline.Query.Tests;

public sealed class OutputRendererTests
{
    private static readonly ResultTable Sample = new(
        ["name", "dur_us", "kernel_count", "note"],
        [
            ["gemm, \"bf16\"\nvariant", 12.5, 3L, null],
            ["rms|norm", 0.001, 10L, "x"],
        ]);

    private static string Render(OutputFormat format)
    {
        var w = new StringWriter { NewLine = "\n" };
        ResultRenderer.Render(Sample, format, w);
        return w.ToString();
    }

    [Fact]
    public void Csv_quotes_per_rfc4180_and_parses_back_with_a_header_row()
    {
        var text = Render(OutputFormat.Csv);
        Assert.StartsWith("name,dur_us,kernel_count,note\r\n", text);
        Assert.Contains("\"gemm, \"\"bf16\"\"\nvariant\",12.5,3,\r\n", text);
        var rows = Parse.Csv(text);
        Assert.Equal("gemm, \"bf16\"\nvariant", rows[0]["name"]);
        Assert.Equal("0.001", rows[1]["dur_us"]);
        Assert.Equal("", rows[0]["note"]);
    }

    [Fact]
    public void Json_is_one_array_with_numbers_as_numbers_and_null()
    {
        var doc = Parse.Json(Render(OutputFormat.Json));
        Assert.Equal(2, doc.GetArrayLength());
        Assert.Equal(12.5, doc[0].GetProperty("dur_us").GetDouble());
        Assert.Equal(3, doc[0].GetProperty("kernel_count").GetInt64());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, doc[0].GetProperty("note").ValueKind);
    }

    [Fact]
    public void Markdown_escapes_pipes_and_right_aligns_numbers()
    {
        var lines = Render(OutputFormat.Markdown).TrimEnd('\n').Split('\n');
        Assert.Equal("| name | dur_us | kernel_count | note |", lines[0]);
        Assert.Equal("|---|---:|---:|---|", lines[1]);
        Assert.Equal("| rms\\|norm | 0.001 | 10 | x |", lines[3]);
    }

    [Fact]
    public void Table_rounds_by_unit_suffix_and_right_aligns_numbers()
    {
        var table = new ResultTable(["start_s", "wall_ms", "share_pct", "n"], [[0.0000106, 1.23456, 33.333, 7L], [1.5, 10.0, 100.0, 12L]]);
        var w = new StringWriter { NewLine = "\n" };
        new TextTableWriter().Write(table, w);
        var lines = w.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal(" start_s  wall_ms  share_pct   n", lines[0]);
        Assert.Equal("0.000011    1.235       33.3   7", lines[2]);
        Assert.Equal("1.500000   10.000      100.0  12", lines[3]);
    }

    [Fact]
    public void Table_lists_links_below_it_whole()
    {
        // A Perfetto UI link: cut, it would open the wrong range or none; in the table, it would make it too wide.
        var link = "https://ui.perfetto.dev/#!/?url=http://127.0.0.1:9001/trace.json.gz&visStart=1700000000123456789&visEnd=1700000000123999999";
        var table = new ResultTable(["layer_idx", "perfetto_link"], [[3L, link], [4L, null], [5L, link + "1"]]);
        var w = new StringWriter { NewLine = "\n" };
        new TextTableWriter { MaxWidth = 100 }.Write(table, w);
        Assert.Equal(
            [
                "layer_idx  perfetto_link",
                "---------  -------------",
                "        3  [1]",
                "        4",
                "        5  [2]",
                "",
                "[1] " + link,
                "[2] " + link + "1",
            ],
            w.ToString().TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Table_shortens_text_cells_longer_than_100_characters_and_csv_keeps_them()
    {
        var name = "void paged_attention_kernel<" + new string('x', 150) + ">";
        var table = new ResultTable(["name", "n"], [[name, 1L]]);
        var w = new StringWriter();
        new TextTableWriter().Write(table, w);
        var row = w.ToString().Split('\n')[2].TrimEnd('\r');
        // "void" goes, then the arguments keep 100 - 22 (name) - 2 (brackets) - 1 (mark) = 75 characters
        Assert.Equal("paged_attention_kernel<" + new string('x', 75) + "…>  1", row);
        var csv = new StringWriter();
        new CsvResultWriter().Write(table, csv);
        Assert.Contains(name, csv.ToString());
    }

    [Fact]
    public void Table_with_a_width_narrows_the_widest_text_column_and_never_a_number()
    {
        const string name = "void at::native::vectorized_elementwise_kernel<4, at::native::FillFunctor<float>, std::array<char*, 1> >(int, at::native::FillFunctor<float>, std::array<char*, 1>)";
        var table = new ResultTable(["category", "simplified_name", "total_us"], [["elementwise", name, 1234567.5]]);
        var w = new StringWriter { NewLine = "\n" };
        new TextTableWriter { MaxWidth = 60 }.Write(table, w);
        // 60 - 11 (category) - 11 (total_us) - 2 gaps of 2 = 34 for the name: without void, parameters and template
        // arguments it is still 44 ("at::native::vectorized_elementwise_kernel<…>"), so 22 head characters, the mark
        // and (34 - 1) / 3 = 11 tail characters
        Assert.Equal("elementwise  at::native::vectorized…e_kernel<…>  1234567.500", w.ToString().Split('\n')[2]);
    }

    [Fact]
    public void Pivot_widens_with_default_for_missing_cells()
    {
        var table = new ResultTable(["layer_idx", "kernel_count"], [[0L, 6L], [1L, 4L]]);
        var wide = Pivot.Widen(table, "layer_idx", [(0L, "gemm", 0.016), (1L, "attention", 0.012)], ["gemm", "attention"], g => g + "_ms", 0.0, "kernel_count");
        Assert.Equal(["layer_idx", "gemm_ms", "attention_ms", "kernel_count"], wide.Columns);
        Assert.Equal([1L, 0.0, 0.012, 4L], wide.Rows[1]);
    }

    [Fact]
    public void Fitting_keeps_apart_names_that_differ_only_in_their_middle()
    {
        // 52-character names that differ first at index 24 ('6' / '1'); a middle cut to 24 would make both
        // "Cijk_Alik…" with the same tail. Each is cut around where they part instead.
        var cells = new List<string[]>
        {
            new[] { "Cijk_Alik_Bljk_BBS_BH_MT64x32x256_MI16x16x1_SN_LDSB1" },
            new[] { "Cijk_Alik_Bljk_BBS_BH_MT16x32x512_MI16x16x1_SN_LDSB1" },
        };
        var widths = TableFitter.Fit(["name"], cells, [false], 24);
        Assert.Equal([24], widths);
        Assert.Equal(["Cijk_A…MT64x32x256_MI16…", "Cijk_A…MT16x32x512_MI16…"], cells.Select(c => c[0]));
    }
}
