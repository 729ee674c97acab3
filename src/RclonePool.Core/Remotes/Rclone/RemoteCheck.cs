using RclonePool.Core.Errors;

namespace RclonePool.Core.Remotes.Rclone;

/// <summary>What <see cref="RcloneConfigInspector.CheckAsync"/> found about one remote; <see cref="Error"/> says what is wrong.</summary>
public sealed record RemoteCheck(string Remote, bool IsDefined, bool IsReachable, PoolException? Error)
{
    public bool IsUsable => IsDefined && IsReachable;
}
