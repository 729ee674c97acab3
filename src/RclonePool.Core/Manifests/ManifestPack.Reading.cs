using System.Buffers;
using System.IO.Pipelines;
using RclonePool.Core.IO;

namespace RclonePool.Core.Manifests;

public static partial class ManifestPack
{
    private const int ReadBufferBytes = 64 * 1024;

    /// <summary>
    /// The records of a pack read from <paramref name="stream"/> line by line: only the line being parsed is held, never
    /// the pack, so a survey's memory does not grow with the size of the packs. A compressed pack (a zstd frame, told by
    /// its first four bytes, as its name <c>.jsonl.zst</c> says) is decompressed as it is read, holding the frame's window
    /// (64 KiB as rclonepool writes them) and a 32 KiB buffer more; a plain one (<c>.jsonl</c>, written before) is read as
    /// it is. Refuses the pack whole as <see cref="Parse"/> does (nothing is returned when any part of it is damaged, a
    /// frame that does not decompress or whose checksum fails included). <paramref name="make"/> turns each line into its
    /// record (<see cref="PackRecordFactory"/>; null: a copy of the line).
    /// </summary>
    public static async Task<IReadOnlyList<PackRecord>> ReadAsync(Stream stream, string poolId, string source, PackRecordFactory? make, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var head = new byte[4];
        var got = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        await using var whole = new PrefixedReadStream(head.AsMemory(0, got), stream, leaveOpen: true);
        if (!PackCompression.IsFrame(head.AsSpan(0, got)))
        {
            return await ReadLinesAsync(whole, poolId, source, make, cancellationToken);
        }

        await using var plain = PackCompression.OpenDecompressing(whole);
        try
        {
            return await ReadLinesAsync(plain, poolId, source, make, cancellationToken);
        }
        catch (Exception e) when (PackCompression.IsDamage(e))
        {
            throw DamagedFrame(source, e);
        }
    }

    private static async Task<IReadOnlyList<PackRecord>> ReadLinesAsync(Stream stream, string poolId, string source, PackRecordFactory? make, CancellationToken cancellationToken)
    {
        var lines = new PackLines(poolId, source, make ?? ((fileId, revision, tombstone, line) => new PackRecord(fileId, revision, tombstone, line.ToArray())));
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: ReadBufferBytes, minimumReadSize: ReadBufferBytes / 4, leaveOpen: true));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                lines.Consume(ref buffer);
                if (result.IsCompleted)
                {
                    return lines.Finish(buffer.IsEmpty);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    /// <summary>The state of one streamed pack: its header once read, and the records so far.</summary>
    private sealed class PackLines(string poolId, string source, PackRecordFactory make)
    {
        private readonly List<PackRecord> _records = [];
        private PackHeader? _header;

        /// <summary>Parses every whole line in <paramref name="buffer"/> and leaves it at the first incomplete one.</summary>
        public void Consume(ref ReadOnlySequence<byte> buffer)
        {
            var reader = new SequenceReader<byte>(buffer);
            while (reader.TryReadTo(out ReadOnlySequence<byte> line, NewLine))
            {
                if (line.IsSingleSegment)
                {
                    Take(line.FirstSpan);
                }
                else
                {
                    var joined = ArrayPool<byte>.Shared.Rent(checked((int)line.Length));
                    try
                    {
                        line.CopyTo(joined);
                        Take(joined.AsSpan(0, (int)line.Length));
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(joined);
                    }
                }
            }

            buffer = buffer.Slice(reader.Position);
        }

        /// <summary>The records, once the stream ended; <paramref name="complete"/>: nothing was left after the last line break.</summary>
        public List<PackRecord> Finish(bool complete)
        {
            if (_header is null)
            {
                throw Damaged(source, "it has no header line");
            }

            if (!complete)
            {
                throw Damaged(source, $"it ends inside record {_records.Count + 1}");
            }

            return _records.Count == _header.Records ? _records : throw Damaged(source, $"it holds {_records.Count} records where its header says {_header.Records}");
        }

        private void Take(ReadOnlySpan<byte> line)
        {
            if (_header is null)
            {
                _header = ParseHeader(line, poolId, source);
                return;
            }

            var (fileId, revision, tombstone) = ParseRecordHead(line, source, _records.Count + 1);
            _records.Add(make(fileId, revision, tombstone, line));
        }
    }
}
