using System.Text;

namespace RclonePool.Tests.Unit.Compression;

/// <summary>Reproducible test content: log-like text (compresses about 4:1) and random bytes (does not compress).</summary>
internal static class CompressibleData
{
    private static readonly string[] Words = ["GET", "PUT", "/api/v1/files", "200", "404", "upload", "chunk", "remote", "gdrive:", "onedrive:", "ok", "retry"];

    public static byte[] Text(int size, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder(size + 200);
        var line = 0;
        while (text.Length < size)
        {
            text.Append("2026-12-06T10:").Append((line / 60 % 60).ToString("00", System.Globalization.CultureInfo.InvariantCulture)).Append(':')
                .Append((line % 60).ToString("00", System.Globalization.CultureInfo.InvariantCulture)).Append(" worker-").Append(random.Next(8)).Append(' ');
            for (var w = 0; w < 6; w++)
            {
                text.Append(Words[random.Next(Words.Length)]).Append(' ');
            }

            text.Append(random.Next(100_000)).Append('\n');
            line++;
        }

        return Encoding.ASCII.GetBytes(text.ToString(0, size));
    }

    public static byte[] Random(int size, int seed)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        return data;
    }
}
