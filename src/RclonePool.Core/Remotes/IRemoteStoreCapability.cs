namespace RclonePool.Core.Remotes;

/// <summary>
/// An optional ability of an <see cref="IRemoteStore"/>, offered as a small interface of its own beside it (as rclone's
/// <c>fs.Features</c>): <see cref="IBatchedWrites"/>, <see cref="ILocalDirectoryLookup"/>. Callers reach an ability
/// through its <see cref="RemoteStoreCapabilities"/> extension, which falls back when the store lacks it. A decorator of
/// <see cref="IRemoteStore"/> implements every capability and forwards each through that extension, so wrapping a store
/// never drops an ability it has (a unit test checks every decorator in Core).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1040", Justification = "A marker: it names the capability interfaces, so a test can find them all.")]
public interface IRemoteStoreCapability;
