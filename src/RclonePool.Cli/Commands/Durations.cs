using System.Globalization;
using RclonePool.Core.Errors;

namespace RclonePool.Cli.Commands;

/// <summary>Parses durations given on the command line: "90s", "30m", "1h", "2d", or plain seconds ("0").</summary>
internal static class Durations
{
    public static TimeSpan Parse(string text, string option)
    {
        var value = text.Trim();
        var unit = value.Length > 0 && char.IsAsciiLetter(value[^1]) ? char.ToLowerInvariant(value[^1]) : 's';
        var number = char.IsAsciiLetter(value.Length > 0 ? value[^1] : '0') ? value[..^1] : value;
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || amount < 0 || !double.IsFinite(amount) ||
            unit is not ('s' or 'm' or 'h' or 'd'))
        {
            throw new PoolException(PoolErrorKind.BadInput, $"{option} takes a duration such as 90s, 30m, 1h or 2d, not '{text}'.");
        }

        return unit switch
        {
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            'd' => TimeSpan.FromDays(amount),
            _ => TimeSpan.FromSeconds(amount),
        };
    }

    public static string Format(TimeSpan span) => span.TotalSeconds switch
    {
        0 => "0s",
        var s when s % 86400 == 0 => string.Create(CultureInfo.InvariantCulture, $"{s / 86400:0}d"),
        var s when s % 3600 == 0 => string.Create(CultureInfo.InvariantCulture, $"{s / 3600:0}h"),
        var s when s % 60 == 0 => string.Create(CultureInfo.InvariantCulture, $"{s / 60:0}m"),
        var s => string.Create(CultureInfo.InvariantCulture, $"{s:0.#}s"),
    };
}
