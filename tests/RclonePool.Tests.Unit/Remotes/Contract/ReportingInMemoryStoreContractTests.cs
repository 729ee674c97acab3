namespace RclonePool.Tests.Unit.Remotes.Contract;

/// <summary><see cref="RemoteStoreContract"/> for <see cref="Core.Remotes.ReportingRemoteStore"/> around the in-memory store.</summary>
public sealed class ReportingInMemoryStoreContractTests(ReportingInMemoryFixture fixture) : RemoteStoreContract(fixture), IClassFixture<ReportingInMemoryFixture>;
