using RclonePool.Core.Remotes;

namespace RclonePool.Tests.Support.Remotes;

/// <summary>A store that <see cref="RemoteStoreContract"/> checks, and what the contract may expect of its remote.</summary>
public interface IRemoteStoreUnderTest
{
    /// <summary>The store the tests call: a transport, or decorators around one.</summary>
    IRemoteStore Store { get; }

    /// <summary>The innermost store below <see cref="Store"/>'s decorators (the store itself when it has none): every capability it has, <see cref="Store"/> must offer too.</summary>
    IRemoteStore Transport { get; }

    /// <summary>The remote the tests write to.</summary>
    string Remote { get; }

    /// <summary>Whether the backend reports its space (total, used, free) through about.</summary>
    bool ReportsSpace { get; }

    /// <summary>The local directory <see cref="Remote"/>'s objects are stored in when it is rclone's local backend and the store can tell; else null.</summary>
    string? LocalDirectory { get; }
}
