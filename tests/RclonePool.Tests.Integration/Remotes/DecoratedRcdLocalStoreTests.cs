namespace RclonePool.Tests.Integration.Remotes;

/// <summary>The conformance tests for the pool's decorators (retrying, reporting, direct local access) around the rcd transport over a local directory.</summary>
public sealed class DecoratedRcdLocalStoreTests(DecoratedRcdLocalFixture fixture) : RemoteStoreConformanceTests(fixture), IClassFixture<DecoratedRcdLocalFixture>;
