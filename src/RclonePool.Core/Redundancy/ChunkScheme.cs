namespace RclonePool.Core.Redundancy;

/// <summary>How one chunk is stored: one object, whole copies, or a Reed-Solomon stripe.</summary>
public readonly record struct ChunkScheme(ChunkSchemeKind Kind, int Copies, int DataShards, int ParityShards)
{
    public static ChunkScheme Single { get; } = new(ChunkSchemeKind.Single, 1, 0, 0);

    public static ChunkScheme Replicated(int copies) => copies <= 1 ? Single : new(ChunkSchemeKind.Replicated, copies, 0, 0);

    public static ChunkScheme Striped(int dataShards, int parityShards) => new(ChunkSchemeKind.Striped, 1, dataShards, parityShards);

    /// <summary>Remotes that may be lost with the chunk still readable.</summary>
    public int Tolerance => Kind switch
    {
        ChunkSchemeKind.Replicated => Copies - 1,
        ChunkSchemeKind.Striped => ParityShards,
        _ => 0,
    };

    /// <summary>Distinct remotes the chunk needs.</summary>
    public int Width => Kind == ChunkSchemeKind.Striped ? DataShards + ParityShards : Copies;
}
