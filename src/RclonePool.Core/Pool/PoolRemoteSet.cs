using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace RclonePool.Core.Pool;

/// <summary>
/// The remotes of an open pool, in config order: those of the config when the pool opened, then those that joined
/// while it runs (<see cref="Jobs.RemoteJoiner"/>: 'remote add' from another process while <c>serve</c> runs). It only
/// grows while the pool is open (removing a remote takes a restart), so an index read once stays valid later. Each
/// enumeration reads one snapshot; thread-safe.
/// </summary>
/// <remarks>
/// A manifest must reach every remote, the one joining included. Writers that go to "every remote" hold a
/// <see cref="Use"/> lease on the snapshot they write to, and <see cref="AddAsync"/> returns only once every lease on the
/// snapshot before it has ended: what a joining remote is given afterwards (<see cref="Jobs.RemoteMembership"/>) then sees
/// every manifest written without it, and every later write includes it.
/// </remarks>
internal sealed class PoolRemoteSet : IReadOnlyList<PoolRemote>
{
    private readonly Lock _gate = new();
    private volatile Snapshot _snapshot;

    public PoolRemoteSet(IEnumerable<PoolRemote> remotes)
    {
        ArgumentNullException.ThrowIfNull(remotes);
        PoolRemote[] list = [.. remotes];
        _snapshot = new Snapshot(list, list.ToDictionary(r => r.Name, StringComparer.Ordinal));
    }

    public int Count => _snapshot.List.Length;

    public PoolRemote this[int index] => _snapshot.List[index];

    public bool TryGet(string name, [MaybeNullWhen(false)] out PoolRemote remote) => _snapshot.ByName.TryGetValue(name, out remote);

    /// <summary>The remotes as they are now, held until the lease is disposed: a remote added meanwhile waits for it.</summary>
    public Lease Use()
    {
        while (true)
        {
            var snapshot = _snapshot;
            Interlocked.Increment(ref snapshot.Users);
            if (ReferenceEquals(snapshot, _snapshot))
            {
                return new Lease(snapshot);
            }

            snapshot.Leave(); // replaced in between: take the new one
        }
    }

    /// <summary>
    /// Adds <paramref name="remote"/> at the end and waits until every lease taken before has ended; false (and nothing
    /// changed) when a remote of that name is already in.
    /// </summary>
    public async Task<bool> AddAsync(PoolRemote remote, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(remote);
        Snapshot before;
        lock (_gate)
        {
            before = _snapshot;
            if (before.ByName.ContainsKey(remote.Name))
            {
                return false;
            }

            var byName = new Dictionary<string, PoolRemote>(before.ByName, StringComparer.Ordinal) { [remote.Name] = remote };
            _snapshot = new Snapshot([.. before.List, remote], byName);

            // Only now: a lease can no longer be taken on the old snapshot, so its count reaching zero means drained.
            before.Retire();
        }

        if (Volatile.Read(ref before.Users) == 0)
        {
            before.Drained.TrySetResult();
        }

        await before.Drained.Task.WaitAsync(cancellationToken);
        return true;
    }

    public IEnumerator<PoolRemote> GetEnumerator() => ((IEnumerable<PoolRemote>)_snapshot.List).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The remotes one writer goes to; dispose when the write is done.</summary>
    public readonly struct Lease : IDisposable
    {
        private readonly Snapshot _snapshot;

        internal Lease(Snapshot snapshot) => _snapshot = snapshot;

        public IReadOnlyList<PoolRemote> Remotes => _snapshot.List;

        public void Dispose() => _snapshot?.Leave();
    }

    internal sealed class Snapshot(PoolRemote[] list, Dictionary<string, PoolRemote> byName)
    {
        private volatile bool _retired;

        public int Users;

        public PoolRemote[] List { get; } = list;

        public Dictionary<string, PoolRemote> ByName { get; } = byName;

        public TaskCompletionSource Drained { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Retire() => _retired = true;

        public void Leave()
        {
            if (Interlocked.Decrement(ref Users) == 0 && _retired)
            {
                Drained.TrySetResult();
            }
        }
    }
}
