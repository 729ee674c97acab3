using System.Globalization;

namespace RclonePool.Tests.Integration.Metrics;

/// <summary>The samples of a Prometheus text exposition, by series (name and labels as written).</summary>
internal sealed class PrometheusText
{
    private readonly Dictionary<string, double> _samples = new(StringComparer.Ordinal);

    public PrometheusText(string text)
    {
        Text = text;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var space = line.LastIndexOf(' ');
            _samples[line[..space]] = double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
        }
    }

    public string Text { get; }

    /// <summary>The value of a series such as <c>rclonepool_operations_total{operation="upload"}</c>; fails when absent.</summary>
    public double this[string series] =>
        _samples.TryGetValue(series, out var value) ? value : throw new Xunit.Sdk.XunitException($"No series {series} in:\n{Text}");

    public bool Has(string series) => _samples.ContainsKey(series);

    /// <summary>Every series of a metric name (with any labels).</summary>
    public IEnumerable<KeyValuePair<string, double>> Of(string name) =>
        _samples.Where(s => s.Key == name || s.Key.StartsWith(name + "{", StringComparison.Ordinal));
}
