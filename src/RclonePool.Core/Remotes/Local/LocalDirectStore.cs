using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Win32.SafeHandles;
using RclonePool.Core.Chunking;
using RclonePool.Core.Errors;
using RclonePool.Core.IO;

namespace RclonePool.Core.Remotes.Local;

/// <summary>
/// Reads and writes the objects of remotes that rclone maps to a local directory (its local backend: a path, a
/// <c>type = local</c> remote or an alias of one) straight in the filesystem, and hands every other call to the
/// transport it wraps. rclone's local backend stores an object as the plain file at root/path, so the bytes are the
/// same; what is saved is the trip through the rclone process (a loopback HTTP request that copies every byte twice
/// more, and rclone's per-object work, which for a manifest of a few hundred bytes costs more than the write itself).
/// Stats, deletes and moves of such objects are done directly too (LocalDirectStore.Metadata.cs), and so are listings of plain names (LocalDirectStore.Listing.cs). rclone itself says which remotes are local
/// (<see cref="ILocalDirectoryLookup"/>, asked once per remote); crypt and every other backend go through rclone as before.
/// Object paths with characters rclone's local name encoding might change go through rclone too. A file that cannot be
/// opened directly (missing, unreadable) is asked of rclone, whose answer (the object, or NotFound) stands. A direct
/// write goes to a temporary <c>.partial</c> name beside the target and is renamed over it, so a reader sees the old
/// object or the whole new one, never a part; one the filesystem refuses before any byte is taken from its content is
/// handed to rclone, whose outcome stands. What is read is verified by the caller against the manifest like any
/// other read. Forwards every capability of the store it wraps (<see cref="IRemoteStoreCapability"/>).
/// </summary>
public sealed partial class LocalDirectStore(IRemoteStore inner, LocalDirectOptions options, ILogger? logger = null) : IRemoteStore, IBatchedWrites, ILocalDirectoryLookup, IRemoteHashes, IRemoteCopies
{
    /// <summary>The largest object written directly from one buffer; larger ones, and objects of unknown length, stream to their file.</summary>
    public const int MaxDirectWriteBytes = 64 * 1024;

    private const int StreamBufferBytes = 1024 * 1024;

    /// <summary>The suffix of a direct write's temporary name (as rclone's own local backend names its partial files).</summary>
    public const string PartialSuffix = ".partial";

    /// <summary>Direct reads and writes, both on.</summary>
    public LocalDirectStore(IRemoteStore inner, ILogger? logger = null)
        : this(inner, new LocalDirectOptions(), logger)
    {
    }

    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly ConcurrentDictionary<string, Lazy<Task<string?>>> _directories = new(StringComparer.Ordinal);

    /// <summary>Directories of objects this process made or wrote into (<see cref="OpenNew"/>): the chunk prefixes and the manifest folders.</summary>
    private readonly ConcurrentDictionary<string, byte> _madeDirectories = new(StringComparer.Ordinal);

    /// <summary>The store every call other than a direct read or write goes to.</summary>
    public IRemoteStore Inner => inner;

    public async Task<Stream> OpenReadAsync(RemotePath source, long offset, long count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (options.Reads && IsPlainObjectPath(source.Path) && await LocalDirectoryAsync(source.Remote, cancellationToken) is { } directory
            && TryOpen(Path.Join(directory, source.Path), offset, count, cancellationToken) is { } direct)
        {
            return direct;
        }

        return await inner.OpenReadAsync(source, offset, count, cancellationToken);
    }

    public Task<string?> LocalDirectoryAsync(string remote, CancellationToken cancellationToken) =>
        _directories.GetOrAdd(remote, r => new Lazy<Task<string?>>(() => ResolveAsync(r))).Value.WaitAsync(cancellationToken);

    /// <summary>
    /// Asks rclone once. A failure to tell (rclone down or restarting) sends this call through rclone and is not
    /// remembered: the next call asks again, so a long-running server does not lose direct access to one bad moment.
    /// </summary>
    private async Task<string?> ResolveAsync(string remote)
    {
        try
        {
            var directory = AbsolutePath(remote) ?? await inner.LocalDirectoryAsync(remote, CancellationToken.None);
            if (directory is not null)
            {
                _logger.LogDebug("{Remote} is rclone's local backend at {Directory}: its objects are read from there directly.", remote, directory);
            }

            return directory;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _logger.LogDebug("Could not tell whether {Remote} is a local directory ({Error}); this call goes through rclone.", remote, e.Message);
            _directories.TryRemove(remote, out _);
            return null;
        }
    }

    /// <summary>
    /// The directory of a remote given as an absolute Unix path without a ':' (e.g. <c>/srv/disk1</c>): rclone's local
    /// backend by rclone's own rule, so rclone need not be asked (nor started: a command that only reads the pool
    /// descriptors and the index, such as <c>ls</c>, then runs without an rclone process). Null for anything else.
    /// </summary>
    internal static string? AbsolutePath(string remote) =>
        remote.StartsWith('/') && !remote.Contains(':', StringComparison.Ordinal) && !remote.Contains('\\', StringComparison.Ordinal)
            ? Path.TrimEndingDirectorySeparator(Path.GetFullPath(remote))
            : null;

    private static FileRangeStream? TryOpen(string file, long offset, long count, CancellationToken opened)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        try
        {
            var length = RandomAccess.GetLength(handle);
            var start = Math.Min(offset, length);
            var available = length - start;
            return new FileRangeStream(handle, start, count < 0 ? available : Math.Min(count, available), ownsHandle: true, stopWith: opened);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// True for the paths the pool names its objects with (letters, digits, '_', '-', '.', '/' separators, no empty,
    /// '.' or '..' segment): rclone's local backend stores those under the same name on every platform's encoding.
    /// </summary>
    internal static bool IsPlainObjectPath(string path)
    {
        var segmentStart = 0;
        for (var i = 0; i <= path.Length; i++)
        {
            if (i == path.Length || path[i] == '/')
            {
                var segment = path.AsSpan(segmentStart, i - segmentStart);
                if (segment.IsEmpty || segment is "." or "..")
                {
                    return false;
                }

                segmentStart = i + 1;
            }
            else if (!(char.IsAsciiLetterOrDigit(path[i]) || path[i] is '_' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    public async Task WriteAsync(RemotePath target, Stream content, long length, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (await DirectWriteDirectoryAsync(target, cancellationToken) is not { } directory)
        {
            await inner.WriteAsync(target, content, length, cancellationToken);
            return;
        }

        if (length is < 0 or > MaxDirectWriteBytes)
        {
            if (!await TryWriteStreamAsync(directory, target, content, length, cancellationToken))
            {
                await inner.WriteAsync(target, content, length, cancellationToken);
            }

            return;
        }

        var bytes = await ReadExactlyAsync(content, (int)length, target, cancellationToken);
        if (!TryWrite(directory, target, bytes))
        {
            await inner.WriteAsync(target, new MemoryStream(bytes, writable: false), length, cancellationToken);
        }
    }

    /// <summary>
    /// Writes each object straight to its file, whatever its size: the bytes are in memory already (a manifest of a large
    /// file is a few hundred KB; through rclone, the first such write of a command would also start rclone).
    /// </summary>
    public async Task WriteManyAsync(RemotePath directory, IReadOnlyList<NamedBytes> objects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var local = options.Writes && objects.Count > 0
            ? await LocalDirectoryAsync(directory.Remote, cancellationToken)
            : null;
        if (local is null)
        {
            await inner.WriteManyAsync(directory, objects, cancellationToken);
            return;
        }

        List<NamedBytes>? rest = null;
        foreach (var item in objects)
        {
            var target = directory.Child(item.Name);
            if (!IsPlainObjectPath(target.Path) || !TryWrite(local, target, item.Bytes.Span))
            {
                (rest ??= []).Add(item);
            }
        }

        if (rest is not null)
        {
            await inner.WriteManyAsync(directory, rest, cancellationToken);
        }
    }

    /// <summary>The local directory of <paramref name="target"/>'s remote when this write may go there directly; else null.</summary>
    private async Task<string?> DirectWriteDirectoryAsync(RemotePath target, CancellationToken cancellationToken) =>
        options.Writes && IsPlainObjectPath(target.Path) ? await LocalDirectoryAsync(target.Remote, cancellationToken) : null;

    /// <summary>
    /// Writes the object to a temporary name beside it and renames it into place (creating missing directories, as
    /// rclone does). False, with nothing left behind, when the filesystem refuses: the caller asks rclone instead.
    /// </summary>
    private bool TryWrite(string directory, RemotePath target, ReadOnlySpan<byte> bytes)
    {
        var file = Path.Join(directory, target.Path);
        var partial = PartialName(file);
        try
        {
            using (var handle = OpenNew(partial))
            {
                RandomAccess.Write(handle, bytes, 0);
            }

            File.Move(partial, file, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogDebug("Writing {Path} of {Remote} directly failed ({Error}); rclone writes it.", target.Path, target.Remote, e.Message);
            TryDelete(partial);
            return false;
        }
    }

    /// <summary>
    /// Streams <paramref name="content"/> to a temporary name beside the target and renames it into place. False, with
    /// nothing taken from the content and nothing left behind, when the file cannot be created: the caller asks rclone
    /// instead. Once bytes are taken, a failure (the disk, or content longer or shorter than announced) removes the
    /// temporary file and throws, as a failed upload through rclone does.
    /// </summary>
    private async Task<bool> TryWriteStreamAsync(string directory, RemotePath target, Stream content, long length, CancellationToken cancellationToken)
    {
        var file = Path.Join(directory, target.Path);
        var partial = PartialName(file);
        SafeFileHandle handle;
        try
        {
            handle = OpenNew(partial);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogDebug("Creating {Path} of {Remote} directly failed ({Error}); rclone writes it.", target.Path, target.Remote, e.Message);
            return false;
        }

        try
        {
            using (handle)
            {
                await CopyExactlyAsync(content, handle, length, target, cancellationToken);
            }

            File.Move(partial, file, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(partial);
            throw new PoolException(
                DiskErrors.IsDiskFull(e) ? PoolErrorKind.NoSpace : PoolErrorKind.Remote,
                $"Writing {target.ToRcloneSpec()} to {file} failed ({e.Message}); nothing was kept. Check that disk (free space, permissions) and try again.",
                e);
        }
        catch
        {
            TryDelete(partial);
            throw;
        }
    }

    /// <summary>Copies the content to the file through one pooled buffer; the content must hold exactly <paramref name="length"/> bytes when it is known.</summary>
    private static async Task CopyExactlyAsync(Stream content, SafeFileHandle handle, long length, RemotePath target, CancellationToken cancellationToken)
    {
        if (content is IBlockLender { CanLend: true } lender)
        {
            await WriteLentBlocksAsync(lender, handle, length, target, cancellationToken);
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(StreamBufferBytes);
        try
        {
            long written = 0;
            int read;
            while ((read = await content.ReadAsync(buffer.AsMemory(0, StreamBufferBytes), cancellationToken)) > 0)
            {
                if (length >= 0 && written + read > length)
                {
                    throw LengthMismatch(target, length, $"more than {length}");
                }

                await RandomAccess.WriteAsync(handle, buffer.AsMemory(0, read), written, cancellationToken);
                written += read;
            }

            if (length >= 0 && written != length)
            {
                throw LengthMismatch(target, length, $"only {written}");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes each block the content lends straight from its memory (a parity shard's blocks: no copy on the way).</summary>
    private static async Task WriteLentBlocksAsync(IBlockLender content, SafeFileHandle handle, long length, RemotePath target, CancellationToken cancellationToken)
    {
        long written = 0;
        while (await content.BorrowNextAsync(cancellationToken) is { IsEmpty: false } block)
        {
            if (length >= 0 && written + block.Length > length)
            {
                throw LengthMismatch(target, length, $"more than {length}");
            }

            await RandomAccess.WriteAsync(handle, block, written, cancellationToken);
            written += block.Length;
        }

        if (length >= 0 && written != length)
        {
            throw LengthMismatch(target, length, $"only {written}");
        }
    }

    private static PoolException LengthMismatch(RemotePath target, long length, string held) =>
        new(PoolErrorKind.BadInput, $"The content written to {target.ToRcloneSpec()} holds {held} bytes, not the {length} announced; nothing was written.");

    /// <summary>ENOSPC or EDQUOT (as .NET reports them on Unix), or the Windows disk-full codes.</summary>
    private static string PartialName(string file) => string.Create(CultureInfo.InvariantCulture, $"{file}.{Random.Shared.Next():x8}{PartialSuffix}");

    /// <summary>
    /// Opens a new file for writing, its directory made first when this process has not seen it yet (an object
    /// store's "directories" are made as rclone makes them: on the first object below). A directory is made once per
    /// process, not tried per object: a failed create costs an exception, and two writers racing to make the same one
    /// (the chunks of a directory upload share 256 of them) saw "file not found" instead of "directory not found"
    /// once the other had made it, and went through rclone. One removed since (by hand) is made again.
    /// </summary>
    private SafeFileHandle OpenNew(string path)
    {
        var parent = Path.GetDirectoryName(path)!;
        if (!_madeDirectories.ContainsKey(parent))
        {
            Directory.CreateDirectory(parent);
            _madeDirectories.TryAdd(parent, 0);
        }

        try
        {
            return File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        }
        catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException)
        {
            Directory.CreateDirectory(parent);
            return File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing more to do: a leftover partial file is found and removed by `orphans`.
        }
    }

    /// <summary>Exactly <paramref name="length"/> bytes of <paramref name="content"/>, which must hold no more and no fewer.</summary>
    private static async Task<byte[]> ReadExactlyAsync(Stream content, int length, RemotePath target, CancellationToken cancellationToken)
    {
        var bytes = new byte[length];
        var read = await content.ReadAtLeastAsync(bytes, length, throwOnEndOfStream: false, cancellationToken);
        var extra = read == length ? await content.ReadAsync(new byte[1], cancellationToken) : 0;
        if (read != length || extra != 0)
        {
            throw LengthMismatch(target, length, read != length ? $"only {read}" : $"more than {length}");
        }

        return bytes;
    }

    /// <summary>Not when either side is a local directory: those bytes are read or written here directly, faster than through rclone.</summary>
    public async Task<bool> CopyAsync(RemotePath from, RemotePath to, CancellationToken cancellationToken) =>
        await LocalDirectoryAsync(from.Remote, cancellationToken) is null
        && await LocalDirectoryAsync(to.Remote, cancellationToken) is null
        && await inner.TryCopyAsync(from, to, cancellationToken);

    /// <summary>
    /// The space of a local directory's file system, read from it (statfs) as rclone's local backend computes it, so a
    /// command whose only rclone call would be this one (an upload to local remotes asks each remote's free space) does
    /// not start rclone; anything else, or a directory that cannot be read, is asked of rclone.
    /// </summary>
    public async Task<RemoteUsage?> AboutAsync(string remote, CancellationToken cancellationToken)
    {
        if ((options.Reads || options.Writes) && await LocalDirectoryAsync(remote, cancellationToken) is { } directory && DiskSpace(directory) is { } usage)
        {
            return usage;
        }

        return await inner.AboutAsync(remote, cancellationToken);
    }

    private static RemoteUsage? DiskSpace(string directory)
    {
        try
        {
            if (!Directory.Exists(directory))
            {
                return null;
            }

            var drive = new DriveInfo(directory);
            return new RemoteUsage(drive.TotalSize, drive.TotalSize - drive.TotalFreeSpace, drive.AvailableFreeSpace);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    public Task<IReadOnlyList<string>> HashTypesAsync(string remote, CancellationToken cancellationToken) => inner.HashTypesAsync(remote, cancellationToken);

    public Task<string?> HashAsync(RemotePath path, string type, CancellationToken cancellationToken) => inner.HashAsync(path, type, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
