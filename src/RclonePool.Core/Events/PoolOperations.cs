namespace RclonePool.Core.Events;

/// <summary>The snake_case names of <see cref="PoolOperation"/> (metrics labels, live statistics).</summary>
public static class PoolOperations
{
    public static string Name(this PoolOperation operation) => operation switch
    {
        PoolOperation.Upload => "upload",
        PoolOperation.Download => "download",
        PoolOperation.Read => "read",
        PoolOperation.Delete => "delete",
        PoolOperation.Move => "move",
        PoolOperation.Copy => "copy",
        PoolOperation.Mkdir => "mkdir",
        PoolOperation.SetProperties => "set_properties",
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
    };
}
