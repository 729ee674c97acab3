using System.CommandLine;

namespace RclonePool.Cli.Commands;

/// <summary><c>rclonepool remote list|add|drain|remove</c>: the remotes of the pool.</summary>
internal static class RemoteCommand
{
    public static Command Create() => new("remote", "List the pool's remotes, add one, drain one, or remove one.")
    {
        RemoteListCommand.Create(),
        RemoteAddCommand.Create(),
        RemoteDrainCommand.Create(),
        RemoteRemoveCommand.Create(),
    };
}
