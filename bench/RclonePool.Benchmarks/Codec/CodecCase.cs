using System.Globalization;

namespace RclonePool.Benchmarks.Codec;

/// <summary>One benchmark case, written <c>10+4:1MiB</c> on the command line.</summary>
internal sealed record CodecCase(int DataShards, int ParityShards, int ShardBytes)
{
    public static IReadOnlyList<CodecCase> Defaults { get; } =
    [
        .. from km in new[] { (3, 1), (4, 2), (6, 3), (10, 4) }
           from size in new[] { 64 * 1024, 1024 * 1024 }
           select new CodecCase(km.Item1, km.Item2, size),
    ];

    public static CodecCase Parse(string text)
    {
        string[] parts = text.Split(':');
        string[] km = parts[0].Split('+');
        if (parts.Length != 2 || km.Length != 2)
        {
            throw new FormatException($"'{text}' is not a case; write k+m:size, for example 10+4:1MiB.");
        }

        return new CodecCase(
            int.Parse(km[0], CultureInfo.InvariantCulture),
            int.Parse(km[1], CultureInfo.InvariantCulture),
            ParseSize(parts[1]));
    }

    public static string FormatSize(int bytes) =>
        bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)}MiB"
        : bytes % 1024 == 0 ? $"{bytes / 1024}KiB"
        : $"{bytes}B";

    public override string ToString() => $"{DataShards}+{ParityShards} {FormatSize(ShardBytes)}";

    private static int ParseSize(string text)
    {
        (string suffix, int scale)[] units = [("MiB", 1024 * 1024), ("KiB", 1024), ("B", 1)];
        foreach ((string suffix, int scale) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return int.Parse(text[..^suffix.Length], CultureInfo.InvariantCulture) * scale;
            }
        }

        return int.Parse(text, CultureInfo.InvariantCulture);
    }
}
