using System.Diagnostics;

namespace RclonePool.Core.Index.Sqlite;

/// <summary>
/// An exclusive lock file next to the index (an advisory <c>flock</c> on Unix), held while the index is
/// opened, migrated or replaced, so two processes never move aside a file the other just recreated.
/// </summary>
internal sealed class IndexFileLock : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private readonly FileStream _stream;

    private IndexFileLock(FileStream stream) => _stream = stream;

    public static IndexFileLock Acquire(string lockPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new IndexFileLock(new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (clock.Elapsed < timeout)
            {
                // Held by another process (or another opener in this one): wait for it to finish.
            }
            catch (IOException)
            {
                throw IndexErrors.LockTimeout(lockPath, timeout);
            }

            cancellationToken.WaitHandle.WaitOne(PollInterval);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    public void Dispose() => _stream.Dispose();
}
