namespace RclonePool.Core.Jobs;

/// <summary>What a <see cref="PackCompactor"/> did.</summary>
public sealed class PackCompaction
{
    public int PacksWritten { get; set; }

    public int PacksRemoved { get; set; }

    /// <summary>Superseded or deleted records (and single manifests a tombstone hides) no longer stored.</summary>
    public int RecordsDropped { get; set; }

    public List<string> Problems { get; } = [];
}
