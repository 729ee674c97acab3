using Microsoft.Extensions.Logging;

namespace RclonePool.Core.Caching;

/// <summary>
/// The cache's private directory: <c>temp_dir/chunk-cache/&lt;pid&gt;-&lt;random&gt;/</c> (mode 0700), owned by one
/// cache instance. A <c>.lock</c> file inside is held open with an exclusive advisory lock (<c>flock</c>) for the
/// directory's life, so the lock dies with its process; every new cache sweeps the sibling directories whose lock
/// can be taken (their process is gone), so a killed process's cache does not stay in RAM forever.
/// </summary>
internal sealed class CacheDirectory : IDisposable
{
    public const string RootName = "chunk-cache";
    private const string LockName = ".lock";
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly FileStream _lock;
    private readonly ILogger _logger;
    private bool _disposed;

    private CacheDirectory(string path, FileStream @lock, ILogger logger)
    {
        Path = path;
        _lock = @lock;
        _logger = logger;
    }

    public string Path { get; }

    /// <summary>Sweeps dead processes' directories under <paramref name="tempDir"/> and creates this process's own.</summary>
    public static CacheDirectory Create(string tempDir, ILogger logger)
    {
        var root = System.IO.Path.Combine(tempDir, RootName);
        CreatePrivate(root);
        SweepStale(root, logger);
        for (var attempt = 1; ; attempt++)
        {
            var path = System.IO.Path.Combine(root, $"{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
            CreatePrivate(path);
            try
            {
                return new CacheDirectory(path, OpenPrivate(System.IO.Path.Combine(path, LockName), FileMode.CreateNew, FileShare.None), logger);
            }
            catch (DirectoryNotFoundException) when (attempt < 3)
            {
                // Another process swept it between mkdir and the lock (it looked abandoned): take a new name.
            }
        }
    }

    /// <summary>Creates a private file (0600) in the directory for reading and writing at any offset.</summary>
    public FileStream CreateFile(string name) => OpenPrivate(System.IO.Path.Combine(Path, name), FileMode.CreateNew, FileShare.ReadWrite);

    /// <summary>Deletes the cache directories of processes that are gone (their lock file is free, or missing).</summary>
    public static int SweepStale(string root, ILogger logger)
    {
        if (!Directory.Exists(root))
        {
            return 0;
        }

        var removed = 0;
        foreach (var directory in Directory.EnumerateDirectories(root))
        {
            try
            {
                using (new FileStream(System.IO.Path.Combine(directory, LockName), FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                {
                    // Taken: the owner is gone. Delete while holding it, so a racing sweeper skips it.
                    Directory.Delete(directory, recursive: true);
                }

                removed++;
                CacheLog.SweptStale(logger, directory);
            }
            catch (FileNotFoundException)
            {
                // No lock file: a crash between mkdir and the lock, or an owner creating it right now. Only the first is old.
                if (Directory.GetLastWriteTimeUtc(directory) < DateTime.UtcNow.AddMinutes(-1))
                {
                    TryDelete(directory);
                    removed++;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Locked by its living owner (or not ours to touch).
            }
        }

        return removed;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _lock.Dispose();
        if (!TryDelete(Path))
        {
            CacheLog.DirectoryNotRemoved(_logger, Path);
        }
    }

    private static bool TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
            return true;
        }
        catch (DirectoryNotFoundException)
        {
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void CreatePrivate(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, PrivateDirectory);
        }
    }

    private static FileStream OpenPrivate(string path, FileMode mode, FileShare share)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.ReadWrite, Share = share, BufferSize = 0 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFile;
        }

        return new FileStream(path, options);
    }
}
