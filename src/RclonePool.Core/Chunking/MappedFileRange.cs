using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace RclonePool.Core.Chunking;

/// <summary>
/// A read-only mapping (Linux <c>mmap</c>) of a range of an open chunk file, so that a read can check a block's digest
/// where the bytes lie in the page cache instead of first copying them into a buffer with <c>pread</c>
/// (docs/read-path.md, Checking in place). Only for a caller that never hands the mapped bytes on: it checks them and
/// then names the file range (a server sends it with <c>sendfile</c>).
/// <para>
/// A page of a mapping that lies past the end of its file raises <c>SIGBUS</c> when touched, which the .NET runtime
/// cannot turn into an exception (the process dies). The pool never shortens a chunk file (objects are written under
/// a temporary name and renamed into place, so an open inode stays whole), but a user may truncate one by hand:
/// <see cref="TryGet"/> therefore asks the file's current length (<c>lseek</c>, one cheap system call per block)
/// before it hands out a span, and refuses a span the file no longer holds; the caller then reports the object as
/// cut short, as a <c>pread</c> would have found it.
/// </para>
/// </summary>
internal sealed partial class MappedFileRange : IDisposable
{
    private const int ProtRead = 1;
    private const int MapShared = 1;
    private const int MadvSequential = 2;
    private const int MadvPopulateRead = 22;

    /// <summary>
    /// Bytes whose page-table entries one <c>madvise(MADV_POPULATE_READ)</c> fills ahead of the check: one system call
    /// per 2 MiB instead of a page fault per 64 KiB (the kernel's fault-around).
    /// </summary>
    private const long PopulateBytes = 2 * 1024 * 1024;
    private const int SeekEnd = 2;

    private static readonly long PageSize = Environment.SystemPageSize;

    private readonly SafeFileHandle _handle;
    private readonly long _start;
    private readonly long _length;
    private readonly nint _address;
    private readonly nuint _mappedLength;
    private readonly int _lead;
    private int _disposed;
    private long _populatedTo;
    private bool _canPopulate = true;

    private MappedFileRange(SafeFileHandle handle, long start, long length, nint address, nuint mappedLength, int lead)
    {
        _handle = handle;
        _start = start;
        _length = length;
        _address = address;
        _mappedLength = mappedLength;
        _lead = lead;
    }

    /// <summary>Whether mappings are used on this system (Linux only; elsewhere reads copy with <c>pread</c>).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() && Environment.Is64BitProcess;

    /// <summary>
    /// Maps <paramref name="length"/> bytes of <paramref name="handle"/> from <paramref name="start"/>; null when the
    /// system cannot (not Linux, the file is shorter than the range, or <c>mmap</c> failed): the caller reads with
    /// <c>pread</c> then.
    /// </summary>
    public static MappedFileRange? TryMap(SafeFileHandle handle, long start, long length)
    {
        if (!IsSupported || length <= 0 || handle.IsInvalid || handle.IsClosed)
        {
            return null;
        }

        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            var fd = (int)handle.DangerousGetHandle();
            if (Seek(fd, 0, SeekEnd) < start + length)
            {
                return null;
            }

            var aligned = start / PageSize * PageSize;
            var lead = (int)(start - aligned);
            var mappedLength = (nuint)(length + lead);
            var address = Map(0, mappedLength, ProtRead, MapShared, fd, aligned);
            if (address == -1)
            {
                return null;
            }

            // The kernel's read-ahead then reads the file well ahead of a cold read, and pages behind it go first.
            _ = Advise(address, mappedLength, MadvSequential);
            return new MappedFileRange(handle, start, length, address, mappedLength, lead);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// The <paramref name="count"/> bytes at <paramref name="at"/> (from the range's start), when the file still holds
    /// them all; false (and an empty span) when the file is now shorter, or the range does not cover them. The span is
    /// valid until <see cref="Dispose"/>; read it at once (see the class remarks).
    /// </summary>
    public unsafe bool TryGet(long at, int count, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        if (at < 0 || count < 0 || at + count > _length || Volatile.Read(ref _disposed) != 0)
        {
            return false;
        }

        var added = false;
        _handle.DangerousAddRef(ref added);
        try
        {
            if (Seek((int)_handle.DangerousGetHandle(), 0, SeekEnd) < _start + at + count)
            {
                return false;
            }
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }

        if (_canPopulate && at + count > _populatedTo)
        {
            // From the page holding `at` (the mapping's offset in the file is page-aligned, so is _lead + at rounded down).
            var from = (_lead + at) / PageSize * PageSize;
            var to = Math.Min(_lead + Math.Max(at + count, at + PopulateBytes), (long)_mappedLength);
            if (Advise(_address + (nint)from, (nuint)(to - from), MadvPopulateRead) == 0)
            {
                _populatedTo = to - _lead;
            }
            else
            {
                _canPopulate = false; // an older kernel (before 5.14): the pages fault in as they are read
            }
        }

        bytes = new ReadOnlySpan<byte>((byte*)_address + _lead + at, count);
        return true;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _ = Unmap(_address, _mappedLength);
        }
    }

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial nint Map(nint address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static partial int Unmap(nint address, nuint length);

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Advise(nint address, nuint length, int advice);

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    private static partial long Seek(int fd, long offset, int whence);
}
