namespace RclonePool.Core.Pool;

/// <summary>
/// An upload's notice that it will write a manifest soon (<see cref="ManifestStore.Announce"/>): while any announced
/// write has not reached <see cref="ManifestStore.WriteAsync"/>, the manifests waiting there linger for it, so that
/// they share a pack; once none is coming they go at once. Disposing withdraws it (the upload failed, or its write was
/// handed over); a second dispose does nothing.
/// </summary>
public sealed class ManifestWriteAnnouncement : IDisposable
{
    private readonly Action _withdraw;
    private int _withdrawn;

    internal ManifestWriteAnnouncement(Action withdraw) => _withdraw = withdraw;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _withdrawn, 1) == 0)
        {
            _withdraw();
        }
    }
}
