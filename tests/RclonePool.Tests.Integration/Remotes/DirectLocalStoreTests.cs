namespace RclonePool.Tests.Integration.Remotes;

/// <summary>The conformance tests for direct reads of a local remote (writes and the rest through rclone rcd).</summary>
public sealed class DirectLocalStoreTests(DirectLocalFixture fixture) : RemoteStoreConformanceTests(fixture), IClassFixture<DirectLocalFixture>;
