namespace RclonePool.Core.Remotes;

/// <summary>
/// A store that can copy an object from one remote to another by itself (rclone's <c>operations/copyfile</c>): the bytes
/// stream from the source to the destination as <c>rclone copy</c> moves them, not through rclonepool and not spooled
/// first. The caller checks the copy afterwards.
/// </summary>
public interface IRemoteCopies : IRemoteStoreCapability
{
    /// <summary>Copies <paramref name="from"/> to <paramref name="to"/>; false when this store cannot copy between these two remotes (the caller then streams the bytes itself).</summary>
    Task<bool> CopyAsync(RemotePath from, RemotePath to, CancellationToken cancellationToken);
}
