using RclonePool.Core.Config;
using RclonePool.Core.Pool;
using RclonePool.Server.Api.Jobs;

namespace RclonePool.Server.Users;

/// <summary>
/// One user's open pool and the jobs the API started on it, shared by every server of the process (serve and its API
/// server). Nothing in it reaches another user's.
/// </summary>
internal sealed class UserSession(string user, UserPoolSpec spec, StoragePool pool) : IAsyncDisposable
{
    public string User { get; } = user;

    public UserPoolSpec Spec { get; } = spec;

    public StoragePool Pool { get; } = pool;

    public JobRegistry Jobs { get; } = new();

    /// <summary>Cancels the user's jobs and waits for them, then closes the pool.</summary>
    public async ValueTask DisposeAsync()
    {
        await Jobs.DisposeAsync();
        await Pool.DisposeAsync();
    }
}
