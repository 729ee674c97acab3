namespace RclonePool.Tests.Unit.Remotes.Contract;

/// <summary><see cref="RemoteStoreContract"/> for the in-memory store the pool's unit tests run on.</summary>
public sealed class InMemoryStoreContractTests(InMemoryFixture fixture) : RemoteStoreContract(fixture), IClassFixture<InMemoryFixture>;
