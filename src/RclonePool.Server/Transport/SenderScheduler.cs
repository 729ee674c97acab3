using System.IO.Pipelines;

namespace RclonePool.Server.Transport;

/// <summary>
/// Where one connection's <see cref="SocketFileSender"/> runs when the handler flushes (the reader scheduler of the
/// connection's output pipe). Inline on the flushing thread by default: a response that is short or one of many then
/// costs no thread switch (docs/benchmarks.md, branch davget4). While the connection streams a long body from files
/// (<see cref="Stream"/>) and the process streams no more bodies than half its cores, on a thread-pool thread instead:
/// the handler then reads and checks the next blocks while the sender's <c>sendfile</c> sends the last ones, so a
/// single GET uses two cores (docs/benchmarks.md, branch get6). The pipe's pause threshold bounds how far the handler
/// runs ahead, as before.
/// </summary>
internal sealed class SenderScheduler(FileStreams streams, int cores) : PipeScheduler
{
    private readonly FileStreams _streams = streams;
    private int _streaming;

    public SenderScheduler()
        : this(FileStreams.Process, Environment.ProcessorCount)
    {
    }

    /// <summary>Whether the sender would now run on a thread of its own.</summary>
    public bool Parallel => Volatile.Read(ref _streaming) > 0 && _streams.Count * 2 <= cores;

    /// <summary>Marks the connection as streaming a long body from files until the returned scope is disposed.</summary>
    public IDisposable Stream()
    {
        Interlocked.Increment(ref _streaming);
        _streams.Enter();
        return new Scope(this);
    }

    public override void Schedule(Action<object?> action, object? state)
    {
        if (Parallel)
        {
            System.Threading.ThreadPool.UnsafeQueueUserWorkItem(action, state, preferLocal: false);
        }
        else
        {
            action(state);
        }
    }

    private sealed class Scope(SenderScheduler owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner._streams.Leave();
                Interlocked.Decrement(ref owner._streaming);
            }
        }
    }
}
