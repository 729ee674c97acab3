using System.Runtime.CompilerServices;
using RclonePool.Plugins;

namespace DirectoryStore;

/// <summary>
/// <c>storage_backend:directory</c>: objects as files under the directory of the setting <c>path</c>, written to a
/// temporary file and renamed into place so a reader never sees half an object. A sample of the storage_backend
/// contract; a pool uses it as the remote <c>plugin=directory</c>.
/// </summary>
public sealed class DirectoryStore : IStorageBackendPlugin
{
    private string? _root;

    public PluginMetadata Metadata { get; } = new("directory", "1.0.0", "rclonepool samples", "Stores objects as files under a directory (a sample storage backend).", PluginType.StorageBackend);

    public void Initialize(IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.TryGetValue("path", out var path) || !Path.IsPathFullyQualified(path))
        {
            throw new ArgumentException("set plugin_settings \"storage_backend:directory\": {\"path\": \"/absolute/directory\"}");
        }

        _root = Path.GetFullPath(path);
        Directory.CreateDirectory(_root);
    }

    public async Task WriteAsync(string path, Stream content, CancellationToken cancellationToken)
    {
        var target = Resolve(path);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temporary = $"{target}.{Guid.NewGuid():N}.partial";
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file, cancellationToken);
            }

            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public Task<Stream> OpenReadAsync(string path, long offset, long count, CancellationToken cancellationToken)
    {
        var file = new FileStream(Resolve(path), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.Asynchronous);
        if (offset == 0 && count < 0)
        {
            return Task.FromResult<Stream>(file);
        }

        file.Position = Math.Min(offset, file.Length);
        var length = Math.Max(0, file.Length - file.Position);
        return Task.FromResult<Stream>(new Slice(file, count < 0 ? length : Math.Min(count, length)));
    }

    public Task<bool> DeleteAsync(string path, CancellationToken cancellationToken)
    {
        var file = new FileInfo(Resolve(path));
        if (!file.Exists)
        {
            return Task.FromResult(false);
        }

        file.Delete();
        return Task.FromResult(true);
    }

    public async IAsyncEnumerable<string> ListAsync(string directory, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var root = Root;
        var start = Resolve(directory);
        if (!Directory.Exists(start))
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(start, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".partial", StringComparison.Ordinal)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
        }

        await Task.CompletedTask;
    }

    private string Root => _root ?? throw new InvalidOperationException("the plugin was not initialised with a path");

    /// <summary>The file of an object path; a path that would leave the directory is refused.</summary>
    private string Resolve(string path)
    {
        var full = Path.GetFullPath(Path.Combine(Root, path.TrimStart('/')));
        return full == Root || full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw new ArgumentException($"the path {path} leaves the store's directory");
    }

    /// <summary>At most <c>length</c> bytes of a file from its position.</summary>
    private sealed class Slice(FileStream file, long length) : Stream
    {
        private readonly long _length = length;
        private long _left = length;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _length - _left;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = file.Read(buffer[..(int)Math.Min(buffer.Length, _left)]);
            _left -= read;
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await file.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _left)], cancellationToken);
            _left -= read;
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                file.Dispose();
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await file.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}
