using RclonePool.Core.Manifests;
using RclonePool.Core.Redundancy;

namespace RclonePool.Core.Jobs;

/// <summary>
/// The rule of docs/redundancy.md ("Health"). A chunk needs one copy, or k of its k + m shards (a data shard that
/// holds no bytes, past the end of a short chunk, is always there). Its tolerance is copies - 1 or m; its margin is
/// what is available minus what is needed. A file's margin is its least chunk margin: below 0 it is lost; with every
/// object available it is healthy; at 0 it is critical (readable, but one more lost remote loses it); otherwise
/// degraded.
/// </summary>
public static class HealthRule
{
    /// <summary>Tolerance and margin of <paramref name="chunk"/>, where <paramref name="available"/>[i] tells whether its location i is available.</summary>
    public static (int Tolerance, int Margin) Of(Manifest manifest, ChunkEntry chunk, IReadOnlyList<bool> available)
    {
        if (manifest.Redundancy is { DataShards: > 0, ParityShards: > 0 } spec && manifest.BlockSize > 0 && chunk.Locations.Any(l => l.Role == LocationRole.Shard))
        {
            var geometry = new StripeGeometry(chunk.StoredForm().Length, manifest.BlockSize, spec.DataShards, spec.ParityShards);
            var have = new bool[geometry.TotalShards];
            for (var shard = 0; shard < have.Length; shard++)
            {
                have[shard] = geometry.ShardLength(shard) == 0;
            }

            for (var i = 0; i < chunk.Locations.Count; i++)
            {
                if (available[i] && chunk.Locations[i].Shard is { } shard && shard >= 0 && shard < have.Length)
                {
                    have[shard] = true;
                }
            }

            return (spec.ParityShards, have.Count(h => h) - spec.DataShards);
        }

        if (chunk.Inline is not null)
        {
            // Held inside the manifest, which every remote carries (missing manifest copies are reported apart).
            var tolerance = ToleranceOf(manifest.Redundancy);
            return (tolerance, tolerance);
        }

        if (chunk.Locations.Count == 0)
        {
            return (0, chunk.Length == 0 ? 0 : -1);
        }

        return (chunk.Locations.Count - 1, available.Count(a => a) - 1);
    }

    /// <summary>Remotes a file written with <paramref name="spec"/> survives losing (for a file without chunks).</summary>
    public static int ToleranceOf(RedundancySpec spec) => spec.Mode switch
    {
        "replication" => Math.Max(0, spec.Copies - 1),
        "parity" => spec.ParityShards,
        "hybrid" => Math.Min(Math.Max(0, spec.Copies - 1), spec.ParityShards),
        _ => 0,
    };

    /// <summary>The state of a file with least chunk margin <paramref name="margin"/>.</summary>
    public static HealthState Classify(int margin, bool anyUnavailable) =>
        margin < 0 ? HealthState.Lost
        : !anyUnavailable ? HealthState.Healthy
        : margin == 0 ? HealthState.Critical
        : HealthState.Degraded;
}
