namespace RclonePool.Tests.Integration.Remotes;

/// <summary>The conformance tests for the command-per-call transport over a local directory.</summary>
public sealed class CliLocalStoreTests(CliLocalFixture fixture) : RemoteStoreConformanceTests(fixture), IClassFixture<CliLocalFixture>;
