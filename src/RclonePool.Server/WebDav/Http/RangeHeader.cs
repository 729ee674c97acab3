using System.Globalization;

namespace RclonePool.Server.WebDav.Http;

/// <summary>Parses a <c>Range: bytes=...</c> header against a representation length (RFC 7233).</summary>
internal static class RangeHeader
{
    /// <summary>Most range specs read from one header; a header with more is ignored (the whole file is sent).</summary>
    public const int MaxSpecs = 128;

    /// <summary>
    /// The satisfiable ranges, in request order. Null when the header must be ignored (absent, another unit, malformed,
    /// too many specs); empty when no range is satisfiable (416).
    /// </summary>
    public static List<ByteRange>? Parse(string? header, long length)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        var span = header.AsSpan().Trim();
        var equals = span.IndexOf('=');
        if (equals < 0 || !span[..equals].Trim().Equals("bytes", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var ranges = new List<ByteRange>();
        var specs = 0;
        var list = span[(equals + 1)..];
        foreach (var part in list.Split(','))
        {
            var spec = list[part].Trim();
            if (spec.IsEmpty)
            {
                continue;
            }

            if (++specs > MaxSpecs)
            {
                return null;
            }

            var dash = spec.IndexOf('-');
            if (dash < 0)
            {
                return null;
            }

            var first = spec[..dash].Trim();
            var last = spec[(dash + 1)..].Trim();
            if (first.IsEmpty)
            {
                if (!TryParseDigits(last, out var suffix, out _))
                {
                    return null;
                }

                if (suffix > 0 && length > 0)
                {
                    var take = Math.Min(suffix, length);
                    ranges.Add(new ByteRange(length - take, take));
                }

                continue;
            }

            if (!TryParseDigits(first, out var start, out var startOverflow))
            {
                return null;
            }

            long end;
            if (last.IsEmpty)
            {
                end = long.MaxValue;
            }
            else if (!TryParseDigits(last, out end, out var endOverflow))
            {
                return null;
            }
            else if (endOverflow)
            {
                end = long.MaxValue;
            }

            if (!startOverflow && end < start)
            {
                return null;
            }

            if (!startOverflow && start < length)
            {
                var lastByte = Math.Min(end, length - 1);
                ranges.Add(new ByteRange(start, lastByte - start + 1));
            }
        }

        return specs == 0 ? null : ranges;
    }

    /// <summary>Sorts and merges overlapping or adjacent ranges.</summary>
    public static List<ByteRange> Coalesce(List<ByteRange> ranges)
    {
        if (ranges.Count < 2)
        {
            return ranges;
        }

        var sorted = ranges.OrderBy(r => r.Offset).ToList();
        var merged = new List<ByteRange> { sorted[0] };
        foreach (var range in sorted.Skip(1))
        {
            var current = merged[^1];
            if (range.Offset <= current.Last + 1)
            {
                var last = Math.Max(current.Last, range.Last);
                merged[^1] = new ByteRange(current.Offset, last - current.Offset + 1);
            }
            else
            {
                merged.Add(range);
            }
        }

        return merged;
    }

    private static bool TryParseDigits(ReadOnlySpan<char> digits, out long value, out bool overflow)
    {
        value = 0;
        overflow = false;
        if (digits.IsEmpty || digits.ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            overflow = true;
            value = long.MaxValue;
        }

        return true;
    }
}
