namespace RclonePool.Tests.Integration.Api;

/// <summary>One API server over a real pool, shared by the tests of a class (each test uses paths of its own).</summary>
public sealed class ApiServerFixture : IAsyncLifetime
{
    public ApiServer Api { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Api = await ApiServer.StartAsync();

    public async ValueTask DisposeAsync() => await Api.DisposeAsync();
}
