using RclonePool.Tests.Support.Remotes;

namespace RclonePool.Tests.Integration.Remotes;

/// <summary>
/// <see cref="RemoteStoreContract"/>, plus what a store backed by rclone processes must do (streaming, memory,
/// cancellation, killed and disposed rclone), run against each transport, kind of remote and decorator (the subclasses).
/// </summary>
public abstract partial class RemoteStoreConformanceTests(RemoteStoreFixture fixture) : RemoteStoreContract(fixture)
{
    protected RemoteStoreFixture Fixture => fixture;
}
