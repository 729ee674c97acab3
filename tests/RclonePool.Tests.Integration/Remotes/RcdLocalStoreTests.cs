namespace RclonePool.Tests.Integration.Remotes;

/// <summary>The conformance tests for the rcd transport over a local directory.</summary>
public sealed class RcdLocalStoreTests(RcdLocalFixture fixture) : RemoteStoreConformanceTests(fixture), IClassFixture<RcdLocalFixture>;
