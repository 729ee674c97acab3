namespace RclonePool.Core.Jobs;

/// <summary>What a <see cref="PackCompactor"/> did.</summary>
public sealed class PackCompaction
{
    public int PacksWritten { get; set; }

    public int PacksRemoved { get; set; }

    /// <summary>Superseded, duplicate or deleted records no longer stored (in packs, or as single manifests).</summary>
    public int RecordsDropped { get; set; }

    /// <summary>Single manifest objects folded into a pack (then removed).</summary>
    public int SinglesFolded { get; set; }

    /// <summary>Single manifest objects removed (folded, superseded, or hidden by a tombstone).</summary>
    public int SinglesRemoved { get; set; }

    /// <summary>Current revisions written into a remote's pack because the remote lacked them: "path: revision N written to remote (in a pack)".</summary>
    public List<string> CopiesWritten { get; } = [];

    /// <summary>Why nothing was compacted, when nothing could be (a remote not listed); null otherwise.</summary>
    public string? Skipped { get; set; }

    public List<string> Problems { get; } = [];

    /// <summary>Adds what another compaction (of another remote) did to this one.</summary>
    public void Add(PackCompaction other)
    {
        ArgumentNullException.ThrowIfNull(other);
        PacksWritten += other.PacksWritten;
        PacksRemoved += other.PacksRemoved;
        RecordsDropped += other.RecordsDropped;
        SinglesFolded += other.SinglesFolded;
        SinglesRemoved += other.SinglesRemoved;
        CopiesWritten.AddRange(other.CopiesWritten);
        Problems.AddRange(other.Problems);
    }

    /// <summary>Manifest objects removed from the remotes less those written.</summary>
    public int ObjectsSaved => PacksRemoved + SinglesRemoved - PacksWritten;
}
