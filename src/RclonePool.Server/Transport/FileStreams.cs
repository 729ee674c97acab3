namespace RclonePool.Server.Transport;

/// <summary>
/// How many responses of the process are streaming a long body from files at once (<see cref="SenderScheduler"/>):
/// while there are few, each connection's sender gets a thread of its own. One shared count per process
/// (<see cref="Process"/>); tests make their own.
/// </summary>
internal sealed class FileStreams
{
    private int _count;

    /// <summary>The count of the serve process, shared by all its connections.</summary>
    public static FileStreams Process { get; } = new();

    public int Count => Volatile.Read(ref _count);

    public void Enter() => Interlocked.Increment(ref _count);

    public void Leave() => Interlocked.Decrement(ref _count);
}
