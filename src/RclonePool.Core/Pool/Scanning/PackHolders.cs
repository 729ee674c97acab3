using RclonePool.Core.Remotes;

namespace RclonePool.Core.Pool.Scanning;

/// <summary>
/// The remotes that hold one distinct pack (the same name and size: the same bytes), each with its listing entry and its
/// place in the survey's remotes. Every record of the pack is held by all of them, so a survey keeps one of these per
/// pack, not a copy per (file, remote). <see cref="Id"/> is its place in the survey's table of packs.
/// </summary>
internal sealed class PackHolders(int id, (int Index, PoolRemote Remote, RemoteEntry Entry)[] holders)
{
    public int Id { get; } = id;

    public IReadOnlyList<(int Index, PoolRemote Remote, RemoteEntry Entry)> Holders { get; } = holders;
}
