namespace RclonePool.Tests.Unit.Remotes.Contract;

/// <summary><see cref="RemoteStoreContract"/> for <see cref="Core.Resilience.RetryingRemoteStore"/> around the in-memory store.</summary>
public sealed class RetryingInMemoryStoreContractTests(RetryingInMemoryFixture fixture) : RemoteStoreContract(fixture), IClassFixture<RetryingInMemoryFixture>;
