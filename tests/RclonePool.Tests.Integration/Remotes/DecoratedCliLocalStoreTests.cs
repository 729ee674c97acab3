namespace RclonePool.Tests.Integration.Remotes;

/// <summary>The conformance tests for reporting and retrying around the command-per-call transport over a local directory.</summary>
public sealed class DecoratedCliLocalStoreTests(DecoratedCliLocalFixture fixture) : RemoteStoreConformanceTests(fixture), IClassFixture<DecoratedCliLocalFixture>;
