using Microsoft.Win32.SafeHandles;
using RclonePool.Core.IO;

namespace RclonePool.Server.Transport;

/// <summary>
/// The output positions of one connection that are to be sent from files, in output order, shared by the response
/// writer that adds them (<see cref="FileSendingOutput"/>) and the sender that sends them
/// (<see cref="SocketFileSender"/>). Each entry holds a reference on its file handle (<c>DangerousAddRef</c>), so
/// the reader that opened the file can close it at once: the descriptor stays open until the entry is sent or the
/// connection ends. A region that continues the last one (same handle, next output and file bytes) extends it.
/// </summary>
internal sealed class FileRegionQueue
{
    private readonly Queue<Entry> _entries = new();
    private readonly Lock _lock = new();
    private bool _closed;

    /// <summary>Queues <paramref name="region"/> as the bytes at output position <paramref name="position"/>; false once the connection's sender ended.</summary>
    public bool Add(long position, FileRegion region)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }

            if (Last is { } last
                && last.Handle == region.Handle && last.End == position && last.FileOffset + last.Length == region.Offset)
            {
                last.Length += region.Length;
                return true;
            }

            var added = false;
            region.Handle.DangerousAddRef(ref added);
            var entry = new Entry(region.Handle, position, region.Offset, region.Length);
            _entries.Enqueue(entry);
            Last = entry;
            return true;
        }
    }

    /// <summary>The first entry not yet sent, or null.</summary>
    public Entry? Peek()
    {
        lock (_lock)
        {
            return _entries.Count > 0 ? _entries.Peek() : null;
        }
    }

    /// <summary>
    /// The output has been sent up to <paramref name="position"/>: drops <paramref name="entry"/> (the first) and releases
    /// its handle when that is its end; false when the entry was extended meanwhile and has more to send.
    /// </summary>
    public bool Sent(Entry entry, long position)
    {
        lock (_lock)
        {
            if (entry.End > position)
            {
                return false;
            }

            if (_entries.Count > 0 && ReferenceEquals(_entries.Peek(), entry))
            {
                _entries.Dequeue();
                if (ReferenceEquals(Last, entry))
                {
                    Last = null;
                }

                entry.Handle.DangerousRelease();
            }

            return true;
        }
    }

    /// <summary>The sender ended: releases every handle still held and refuses new entries.</summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
            while (_entries.TryDequeue(out var entry))
            {
                entry.Handle.DangerousRelease();
            }

            Last = null;
        }
    }

    private Entry? Last { get; set; }

    /// <summary>Output bytes [<see cref="Position"/>, <see cref="End"/>) are file bytes from <see cref="FileOffset"/>.</summary>
    internal sealed class Entry(SafeFileHandle handle, long position, long fileOffset, long length)
    {
        public SafeFileHandle Handle { get; } = handle;

        public long Position { get; } = position;

        public long FileOffset { get; } = fileOffset;

        private long _length = length;

        public long Length
        {
            get => Volatile.Read(ref _length);
            set => Volatile.Write(ref _length, value);
        }

        public long End => Position + Length;
    }
}
