using System.Globalization;
using System.Text.Json;
using CsvHelper;

namespace LlmPipeline.Query.Tests.Support;

/// <summary>Parses command output back into data.</summary>
public static class Parse
{
    /// <summary>Parses CSV with a header row into dictionaries (CsvHelper).</summary>
    public static List<Dictionary<string, string>> Csv(string text)
    {
        using var reader = new CsvReader(new StringReader(text), CultureInfo.InvariantCulture);
        reader.Read();
        reader.ReadHeader();
        var header = reader.HeaderRecord!;
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read())
            rows.Add(header.ToDictionary(h => h, h => reader.GetField(h)!));
        return rows;
    }

    /// <summary>Parses the whole text as exactly one JSON document.</summary>
    public static JsonElement Json(string text)
    {
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    public static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);
}
