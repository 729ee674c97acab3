using RclonePool.Core.Config;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Tests.Unit.Support;

namespace RclonePool.Tests.Unit.Redundancy;

/// <summary>A pool of six in-memory remotes (2 MiB chunks, no cache) for the redundancy tests, with the damage they inflict.</summary>
internal static class SixRemotes
{
    private const int KiB = 1024;
    private const int MiB = 1024 * KiB;

    public static readonly string[] Names = ["a:", "b:", "c:", "d:", "e:", "f:"];

    /// <summary>One byte (held inline), sub-block, one block, one row and a bit, one chunk, several chunks.</summary>
    public static readonly int[] Sizes = [1, 100_000, 256 * KiB, MiB + 5, 2 * MiB, (5 * MiB) + 12_345];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<TestPool> CreateAsync(Core.Remotes.IRemoteStore store, Action<PoolConfig> configure) =>
        await TestPool.CreateAsync(store, c =>
        {
            c.Remotes = [.. Names];
            c.ChunkSize = 2 * MiB;
            c.EnableChunkCache = false;
            configure(c);
        });

    public static Action<PoolConfig> Parity(int k, int m) => c =>
    {
        c.RedundancyMode = "parity";
        c.ParityDataShards = k;
        c.ParityParityShards = m;
    };

    public static Action<PoolConfig> Replication(int copies) => c =>
    {
        c.RedundancyMode = "replication";
        c.ReplicationFactor = copies;
    };

    public static byte[] Data(int size, int seed)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        return data;
    }

    /// <summary>Uploads one file of each of <see cref="Sizes"/> as /f{size}.bin; returns path → content.</summary>
    public static async Task<Dictionary<string, byte[]>> UploadAllAsync(StoragePool pool)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var size in Sizes)
        {
            var data = Data(size, size);
            var path = $"/f{size}.bin";
            await pool.PutAsync(PoolPath.Parse(path), new MemoryStream(data), data.Length, PutOptions.Default, Ct);
            files[path] = data;
        }

        return files;
    }

    /// <summary>Removes every chunk object of a remote (the remote's data is gone; its manifests stay).</summary>
    public static void LoseData(InMemoryRemoteStore store, string remote)
    {
        foreach (var key in store.Keys(remote, "rclonepool_data").ToList())
        {
            store.Remove(key);
        }
    }

    /// <summary>Flips one bit in the middle of every chunk object of a remote.</summary>
    public static void Corrupt(InMemoryRemoteStore store, string remote)
    {
        foreach (var key in store.Keys(remote, "rclonepool_data").ToList())
        {
            var bytes = store.Objects[key].ToArray();
            bytes[bytes.Length / 2] ^= 0x10;
            store.Put(key, bytes);
        }
    }
}
