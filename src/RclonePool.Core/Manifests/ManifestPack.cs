using System.Text.Json;
using RclonePool.Core.Errors;

namespace RclonePool.Core.Manifests;

/// <summary>
/// A manifest pack (<c>&lt;manifest_prefix&gt;/pack-&lt;id&gt;.jsonl.zst</c>, docs/manifest-format.md): the manifests and
/// tombstones written in one batch, as one object per remote. JSON lines: a <see cref="PackHeader"/>, then one record
/// per line, each the bytes it would have as an object of its own, so "the newest revision wins" works across single
/// manifests and packs alike; stored as one zstd frame of those lines (<see cref="PackCompression"/>; packs written
/// before, <c>pack-&lt;id&gt;.jsonl</c>, are the plain lines and still read). A pack is written whole under a fresh
/// name and never changed; compaction writes a new pack before it removes the old ones.
/// </summary>
public static partial class ManifestPack
{
    /// <summary>
    /// The size of records (plain JSON lines) a compaction fills a pack with before it starts another: about 5 MB stored
    /// once compressed. Counted in plain bytes because that is what a split knows before it compresses, what a reader
    /// and a compaction hold per record, and what bounds the work of rewriting one pack; the stored size follows from it
    /// (a third for manifests of small inline files). It was a quarter of what an rclonepool of plain packs reads whole
    /// (<see cref="Remotes.RemoteStoreExtensions.MaxSmallObjectBytes"/>); such an rclonepool reads no compressed pack
    /// anyway (pool format 3 makes it refuse the pool). This one reads packs as streams (<see cref="ReadAsync"/>).
    /// </summary>
    public const int TargetBytes = 16 * 1024 * 1024;

    private const byte NewLine = (byte)'\n';

    /// <summary>
    /// <paramref name="records"/> in order, cut into runs of at most <paramref name="targetBytes"/> bytes of records each
    /// (one pack each); a record larger than that alone makes a run of its own.
    /// </summary>
    public static IEnumerable<IReadOnlyList<ReadOnlyMemory<byte>>> Split(IReadOnlyList<ReadOnlyMemory<byte>> records, int targetBytes = TargetBytes)
    {
        ArgumentNullException.ThrowIfNull(records);
        var run = new List<ReadOnlyMemory<byte>>();
        long size = 0;
        foreach (var record in records)
        {
            if (run.Count > 0 && size + record.Length + 1 > targetBytes)
            {
                yield return run;
                run = [];
                size = 0;
            }

            run.Add(record);
            size += record.Length + 1;
        }

        if (run.Count > 0)
        {
            yield return run;
        }
    }

    /// <summary>
    /// The stored bytes of a pack holding <paramref name="records"/> (each a serialized manifest or tombstone, one line
    /// each): one zstd frame of <see cref="SerializePlain"/>'s lines, to be written under <see cref="ManifestNames.PackName"/>.
    /// </summary>
    public static byte[] Serialize(string poolId, IReadOnlyList<ReadOnlyMemory<byte>> records, DateTimeOffset written) =>
        PackCompression.Compress(SerializePlain(poolId, records, written));

    /// <summary>
    /// The JSON lines of a pack holding <paramref name="records"/>: what <see cref="Serialize"/> compresses, and what a
    /// pack written before compressed packs (<see cref="ManifestNames.PlainPackName"/>) holds as it is.
    /// </summary>
    public static byte[] SerializePlain(string poolId, IReadOnlyList<ReadOnlyMemory<byte>> records, DateTimeOffset written)
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(new PackHeader { PoolId = poolId, Records = records.Count, Written = written }, ManifestJsonContext.Default.PackHeader);
        var bytes = new byte[header.Length + 1 + records.Sum(r => r.Length + 1)];
        header.CopyTo(bytes, 0);
        var at = header.Length;
        bytes[at++] = NewLine;
        foreach (var record in records)
        {
            if (record.Span.Contains(NewLine))
            {
                throw new ArgumentException("A pack record must be compact JSON on one line.", nameof(records));
            }

            record.Span.CopyTo(bytes.AsSpan(at));
            at += record.Length;
            bytes[at++] = NewLine;
        }

        return bytes;
    }

    /// <summary>
    /// A pack of <paramref name="records"/> as <see cref="Serialize"/> stores it, as a seekable stream of known length (a
    /// retried write starts again): what a compaction writes. The records are compressed as they are copied, into a
    /// pooled buffer, so what is held besides them is the compressed pack (about a third of the records for manifests of
    /// small files, at most <see cref="TargetBytes"/> / 3 or so), never a plain copy. Dispose it to give the buffer back.
    /// </summary>
    public static Stream OpenContent(string poolId, IReadOnlyList<ReadOnlyMemory<byte>> records, DateTimeOffset written)
    {
        ArgumentNullException.ThrowIfNull(records);
        var lines = new List<ReadOnlyMemory<byte>>(records.Count + 1)
        {
            JsonSerializer.SerializeToUtf8Bytes(new PackHeader { PoolId = poolId, Records = records.Count, Written = written }, ManifestJsonContext.Default.PackHeader),
        };
        foreach (var record in records)
        {
            if (record.Span.Contains(NewLine))
            {
                throw new ArgumentException("A pack record must be compact JSON on one line.", nameof(records));
            }

            lines.Add(record);
        }

        using var plain = new PackContentStream(lines);
        return PackCompression.CompressToBuffer(plain, plain.Length);
    }

    /// <summary>The serialized tombstone of every revision of <paramref name="fileId"/> up to <paramref name="revision"/>.</summary>
    public static byte[] SerializeTombstone(string fileId, long revision, DateTimeOffset written) =>
        JsonSerializer.SerializeToUtf8Bytes(new Tombstone { FileId = fileId, Revision = revision, Written = written }, ManifestJsonContext.Default.Tombstone);

    /// <summary>
    /// The records of a pack, compressed (a zstd frame, told by its first bytes) or plain. A pack that is cut short,
    /// malformed, of another pool or written by a newer rclonepool is refused whole (<see cref="PoolErrorKind.Integrity"/>,
    /// or <see cref="PoolErrorKind.Environment"/> for a newer format): nothing in it is trusted. Each manifest record is
    /// validated later, by whoever reads it, as a single manifest object would be.
    /// </summary>
    public static IReadOnlyList<PackRecord> Parse(ReadOnlySpan<byte> bytes, string poolId, string source) =>
        PackCompression.IsFrame(bytes) ? ParsePlain(Decompress(bytes, source), poolId, source) : ParsePlain(bytes, poolId, source);

    private static byte[] Decompress(ReadOnlySpan<byte> frame, string source)
    {
        using var compressed = new MemoryStream(frame.ToArray(), writable: false);
        using var zstd = PackCompression.OpenDecompressing(compressed);
        using var plain = new MemoryStream();
        try
        {
            zstd.CopyTo(plain);
        }
        catch (Exception e) when (PackCompression.IsDamage(e))
        {
            throw DamagedFrame(source, e);
        }

        return plain.ToArray();
    }

    private static List<PackRecord> ParsePlain(ReadOnlySpan<byte> bytes, string poolId, string source)
    {
        var end = bytes.IndexOf(NewLine);
        if (end < 0)
        {
            throw Damaged(source, "it has no header line");
        }

        var header = ParseHeader(bytes[..end], poolId, source);
        var records = new List<PackRecord>(Math.Max(0, Math.Min(header.Records, 1 << 16)));
        var rest = bytes[(end + 1)..];
        while (!rest.IsEmpty)
        {
            end = rest.IndexOf(NewLine);
            if (end < 0)
            {
                throw Damaged(source, $"it ends inside record {records.Count + 1}");
            }

            records.Add(ParseRecord(rest[..end], source, records.Count + 1));
            rest = rest[(end + 1)..];
        }

        return records.Count == header.Records ? records : throw Damaged(source, $"it holds {records.Count} records where its header says {header.Records}");
    }

    private static PackHeader ParseHeader(ReadOnlySpan<byte> line, string poolId, string source)
    {
        PackHeader header;
        try
        {
            header = JsonSerializer.Deserialize(line, ManifestJsonContext.Default.PackHeader) ?? throw Damaged(source, "its header is empty");
        }
        catch (JsonException e)
        {
            throw Damaged(source, $"its header is not valid JSON ({e.Message})");
        }

        if (header.Format != PackHeader.FormatName)
        {
            throw Damaged(source, $"its format is '{header.Format}', not '{PackHeader.FormatName}'");
        }

        if (header.FormatVersion > PackHeader.CurrentFormatVersion)
        {
            throw new PoolException(PoolErrorKind.Environment, $"The manifest pack {source} was written by a newer rclonepool (pack format {header.FormatVersion}); upgrade rclonepool.");
        }

        if (header.PoolId != poolId)
        {
            throw Damaged(source, $"it belongs to pool {header.PoolId}, not {poolId}");
        }

        return header;
    }

    private static PackRecord ParseRecord(ReadOnlySpan<byte> line, string source, int number)
    {
        var (fileId, revision, tombstone) = ParseRecordHead(line, source, number);
        return new PackRecord(fileId, revision, tombstone, line.ToArray());
    }

    private static (string FileId, long Revision, bool IsTombstone) ParseRecordHead(ReadOnlySpan<byte> line, string source, int number)
    {
        PackRecordHead? head;
        try
        {
            head = JsonSerializer.Deserialize(line, ManifestJsonContext.Default.PackRecordHead);
        }
        catch (JsonException e)
        {
            throw Damaged(source, $"record {number} is not valid JSON ({e.Message})");
        }

        if (head is null || head.FileId is null || !ManifestNames.IsId(head.FileId) || head.Revision < 1)
        {
            throw Damaged(source, $"record {number} names no file id and revision");
        }

        var tombstone = head.Format switch
        {
            Tombstone.FormatName => true,
            Manifest.FormatName => false,
            _ => throw Damaged(source, $"record {number} is neither a manifest nor a tombstone ('{head.Format}')"),
        };
        return (head.FileId, head.Revision, tombstone);
    }

    private static PoolException DamagedFrame(string source, Exception e) =>
        new(PoolErrorKind.Integrity, $"The manifest pack {source} is damaged: its zstd frame cannot be decompressed ({e.Message}). The other remotes' packs and manifests still hold its records; run 'rclonepool index rebuild'.", e);

    private static PoolException Damaged(string source, string why) =>
        new(PoolErrorKind.Integrity, $"The manifest pack {source} is damaged: {why}. The other remotes' packs and manifests still hold its records; run 'rclonepool index rebuild'.");
}
