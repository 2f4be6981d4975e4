using System.Globalization;
using System.Text.RegularExpressions;

namespace Correlator.Tests.Support;

/// <summary>The samples of one Prometheus text-format scrape: <c>name{label="value",…} number</c> lines.</summary>
public sealed partial class PrometheusScrape
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public IReadOnlyList<Sample> Samples { get; }
    public string Text { get; }

    private PrometheusScrape(string text, List<Sample> samples)
    {
        Text = text;
        Samples = samples;
    }

    public static async Task<PrometheusScrape> GetAsync(HttpClient http, string path = "/metrics")
    {
        using var response = await http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return Parse(text);
    }

    public static PrometheusScrape Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var m = SampleLine().Match(line);
            if (!m.Success) continue;
            var labels = LabelPair().Matches(m.Groups["labels"].Value).ToDictionary(l => l.Groups[1].Value, l => l.Groups[2].Value);
            if (!double.TryParse(m.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) continue; // +Inf, NaN
            samples.Add(new Sample(m.Groups["name"].Value, labels, value));
        }
        return new PrometheusScrape(text, samples);
    }

    /// <summary>The sum of a metric's samples whose labels include every given pair.</summary>
    public double Sum(string name, params (string Label, string Value)[] where) =>
        Samples.Where(s => s.Name == name && where.All(w => s.Labels.TryGetValue(w.Label, out var v) && v == w.Value)).Sum(s => s.Value);

    public IEnumerable<Sample> Named(string name) => Samples.Where(s => s.Name == name);

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
