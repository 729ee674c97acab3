namespace RclonePool.Tests.Unit.Remotes.Contract;

/// <summary><see cref="RemoteStoreContract"/> for the in-memory store the pool's unit tests run on.</summary>
public sealed class InMemoryStoreContractTests(InMemoryFixture fixture) : RemoteStoreContract(fixture), IClassFixture<InMemoryFixture>;

/// <summary><see cref="RemoteStoreContract"/> for <see cref="Core.Resilience.RetryingRemoteStore"/> around the in-memory store.</summary>
public sealed class RetryingInMemoryStoreContractTests(RetryingInMemoryFixture fixture) : RemoteStoreContract(fixture), IClassFixture<RetryingInMemoryFixture>;

/// <summary><see cref="RemoteStoreContract"/> for <see cref="Core.Remotes.ReportingRemoteStore"/> around the in-memory store.</summary>
public sealed class ReportingInMemoryStoreContractTests(ReportingInMemoryFixture fixture) : RemoteStoreContract(fixture), IClassFixture<ReportingInMemoryFixture>;

/// <summary><see cref="RemoteStoreContract"/> for <see cref="Core.Remotes.Local.LocalDirectStore"/> around the in-memory store (not a local backend: every call passes through).</summary>
public sealed class LocalDirectInMemoryStoreContractTests(LocalDirectInMemoryFixture fixture) : RemoteStoreContract(fixture), IClassFixture<LocalDirectInMemoryFixture>;
