namespace RclonePool.Core.Plugins;

/// <summary>
/// The threads plugin code runs on: dedicated background threads, never the .NET thread pool, so a plugin that blocks
/// or hangs (a call .NET cannot stop) holds one of these and never a thread the pool's own I/O, timers and bandwidth
/// limits run on. A call goes to an idle thread, or a new one when all are busy; a thread ends after
/// <see cref="IdleLifetime"/> without work. A thread stuck in a hung call is never idle again; its plugin is disabled
/// after a few time-outs (<see cref="PluginGuard"/>), so there are few of them. Thread-safe.
/// </summary>
public sealed class PluginThreads(string name)
{
    private static readonly TimeSpan IdleLifetime = TimeSpan.FromSeconds(10);
    private readonly Lock _lock = new();
    private readonly List<Worker> _idle = [];

    /// <summary>Runs <paramref name="call"/> on one of the threads; the task ends with its result or its exception.</summary>
    public Task<T> Run<T>(Func<T> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Work()
        {
            try
            {
                done.SetResult(call());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }

        Worker? idle = null;
        lock (_lock)
        {
            if (_idle.Count > 0)
            {
                idle = _idle[^1];
                _idle.RemoveAt(_idle.Count - 1);
            }
        }

        if (idle is null)
        {
            var worker = new Worker(this, Work);
            new Thread(worker.Loop) { IsBackground = true, Name = name }.Start();
        }
        else
        {
            idle.Give(Work);
        }

        return done.Task;
    }

    /// <summary>One thread: runs what it is given, then waits on the idle list until given more or until its lifetime ends.</summary>
    private sealed class Worker(PluginThreads owner, Action first)
    {
        private readonly object _monitor = new();
        private Action? _next = first;

        public void Give(Action work)
        {
            lock (_monitor)
            {
                _next = work;
                Monitor.Pulse(_monitor);
            }
        }

        public void Loop()
        {
            var work = Take(TimeSpan.Zero);
            while (work is not null)
            {
                work();
                lock (owner._lock)
                {
                    owner._idle.Add(this);
                }

                work = Take(IdleLifetime);
                if (work is null)
                {
                    lock (owner._lock)
                    {
                        if (owner._idle.Remove(this))
                        {
                            return;
                        }
                    }

                    // A caller took this thread off the idle list just as its lifetime ended: its work is on the way.
                    work = Take(Timeout.InfiniteTimeSpan);
                }
            }
        }

        private Action? Take(TimeSpan wait)
        {
            lock (_monitor)
            {
                if (_next is null && wait != TimeSpan.Zero)
                {
                    var deadline = Environment.TickCount64 + (long)wait.TotalMilliseconds;
                    while (_next is null && (wait == Timeout.InfiniteTimeSpan || Environment.TickCount64 < deadline))
                    {
                        Monitor.Wait(_monitor, wait == Timeout.InfiniteTimeSpan ? Timeout.Infinite : (int)Math.Max(1, deadline - Environment.TickCount64));
                    }
                }

                var work = _next;
                _next = null;
                return work;
            }
        }
    }
}
