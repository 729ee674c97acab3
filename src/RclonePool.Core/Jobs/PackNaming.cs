using System.IO.Hashing;
using RclonePool.Core.Manifests;

namespace RclonePool.Core.Jobs;

/// <summary>
/// The names and write time of the packs one compaction writes. A pack is named after its records and a random id of
/// the compaction, and written with the compaction's time, so remotes that keep the same records get the same pack (same
/// name, same bytes), which a survey reads once for all of them (<see cref="Pool.Scanning.DistinctPackReader"/>). The
/// random part keeps every name fresh: no pack of another compaction (or of an earlier one with the same records) has it,
/// so removing the packs a compaction replaces never removes one it wrote.
/// </summary>
internal sealed class PackNaming(string compactionId, DateTimeOffset written)
{
    public DateTimeOffset Written { get; } = written;

    public string NameOf(IReadOnlyList<ReadOnlyMemory<byte>> records)
    {
        var hash = new XxHash128();
        hash.Append(System.Text.Encoding.ASCII.GetBytes(compactionId));
        foreach (var record in records)
        {
            hash.Append(record.Span);
            hash.Append("\n"u8);
        }

        return ManifestNames.PackName(Convert.ToHexStringLower(hash.GetCurrentHash()));
    }
}
