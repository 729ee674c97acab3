namespace RclonePool.Tests.Unit.Remotes.Contract;

/// <summary><see cref="RemoteStoreContract"/> for <see cref="Core.Remotes.Local.LocalDirectStore"/> around the in-memory store (not a local backend: every call passes through).</summary>
public sealed class LocalDirectInMemoryStoreContractTests(LocalDirectInMemoryFixture fixture) : RemoteStoreContract(fixture), IClassFixture<LocalDirectInMemoryFixture>;
