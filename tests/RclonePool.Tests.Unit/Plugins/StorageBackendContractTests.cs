using RclonePool.Tests.Support.Remotes;

namespace RclonePool.Tests.Unit.Plugins;

/// <summary><see cref="RemoteStoreContract"/> for a storage_backend plugin's remote, reached through the router beside an rclone-like transport.</summary>
public sealed class StorageBackendContractTests(StorageBackendFixture fixture) : RemoteStoreContract(fixture), IClassFixture<StorageBackendFixture>;
