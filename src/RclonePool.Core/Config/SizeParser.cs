using System.Globalization;
using RclonePool.Core.Errors;

namespace RclonePool.Core.Config;

/// <summary>
/// Reads and writes byte sizes as users type them ("64M", "64MiB", "1.5G", "4096"). Every unit is a binary
/// power, as in rclone: K = KiB = KB = 1024, M = MiB = MB = 1024², G, T, P likewise, case-insensitive. A
/// number without a unit is bytes ("B" may be written). Fractions are allowed when the result is a whole
/// number of bytes ("1.5K" = 1536).
/// </summary>
public static class SizeParser
{
    private static readonly string[] Units = ["", "K", "M", "G", "T", "P", "E"];

    /// <summary>Parses <paramref name="text"/>; <paramref name="name"/> (a flag or key) names it in the error.</summary>
    /// <exception cref="PoolException">BadInput, naming <paramref name="name"/>, the text and the accepted forms.</exception>
    public static long Parse(string text, string name = "size")
    {
        ArgumentNullException.ThrowIfNull(text);
        if (TryParse(text, out var bytes, out var reason))
        {
            return bytes;
        }

        throw new PoolException(
            PoolErrorKind.BadInput,
            $"{name} '{text}' is not a size: {reason}; write bytes or a number with a binary unit, e.g. 4096, 256K, 64M, 64MiB or 1G.");
    }

    /// <summary>Parses <paramref name="text"/> without throwing; <paramref name="reason"/> says what is wrong.</summary>
    public static bool TryParse(string? text, out long bytes, out string reason)
    {
        bytes = 0;
        var s = (text ?? string.Empty).Trim();
        if (s.Length == 0)
        {
            reason = "it is empty";
            return false;
        }

        var numberEnd = 0;
        while (numberEnd < s.Length && (char.IsAsciiDigit(s[numberEnd]) || s[numberEnd] == '.'))
        {
            numberEnd++;
        }

        if (numberEnd == 0)
        {
            reason = s[0] == '-' ? "it is negative" : "it does not start with a number";
            return false;
        }

        if (!decimal.TryParse(s.AsSpan(0, numberEnd), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            reason = $"'{s[..numberEnd]}' is not a number";
            return false;
        }

        if (!TryParseUnit(s.AsSpan(numberEnd).Trim(), out var shift))
        {
            reason = $"'{s[numberEnd..].Trim()}' is not a unit (use B, K, M, G, T or P, optionally followed by iB or B)";
            return false;
        }

        decimal value;
        try
        {
            value = number * (1L << shift);
        }
        catch (OverflowException)
        {
            reason = "it is too large";
            return false;
        }

        if (value != decimal.Truncate(value))
        {
            reason = "it is not a whole number of bytes";
            return false;
        }

        if (value > long.MaxValue)
        {
            reason = "it is too large";
            return false;
        }

        bytes = (long)value;
        reason = string.Empty;
        return true;
    }

    /// <summary>
    /// The exact spelling with the largest binary unit that divides <paramref name="bytes"/>: 104857600 →
    /// "100MiB", 1536 → "1536B", 0 → "0B". <see cref="Parse"/> reads it back to the same number.
    /// </summary>
    public static string Format(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        var unit = 0;
        var value = bytes;
        while (value != 0 && value % 1024 == 0 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? value.ToString(CultureInfo.InvariantCulture) + "B"
            : value.ToString(CultureInfo.InvariantCulture) + Units[unit] + "iB";
    }

    private static bool TryParseUnit(ReadOnlySpan<char> unit, out int shift)
    {
        shift = 0;
        if (unit.IsEmpty || unit.Equals("B", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var letter = char.ToUpperInvariant(unit[0]);
        var index = Array.FindIndex(Units, 1, u => u[0] == letter);
        if (index < 0)
        {
            return false;
        }

        var rest = unit[1..];
        if (rest.IsEmpty || rest.Equals("B", StringComparison.OrdinalIgnoreCase) || rest.Equals("iB", StringComparison.OrdinalIgnoreCase)
            || rest.Equals("i", StringComparison.OrdinalIgnoreCase))
        {
            shift = index * 10;
            return true;
        }

        return false;
    }
}
