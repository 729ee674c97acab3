using RclonePool.Core.Events;
using RclonePool.Plugins;

namespace RclonePool.Core.Plugins;

/// <summary>The pool's events as plugins see them.</summary>
public static class PluginEvents
{
    public static PluginEvent From(PoolEvent poolEvent)
    {
        ArgumentNullException.ThrowIfNull(poolEvent);
        return new PluginEvent
        {
            Hook = poolEvent.Type.HookName(),
            Time = poolEvent.Time,
            Path = poolEvent.Path,
            Remote = poolEvent.Remote,
            Chunk = poolEvent.Chunk,
            Operation = poolEvent.Operation,
            Bytes = poolEvent.Bytes,
            TotalBytes = poolEvent.TotalBytes,
            Message = poolEvent.Detail,
        };
    }
}
