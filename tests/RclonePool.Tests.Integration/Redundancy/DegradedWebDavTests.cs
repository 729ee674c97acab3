using System.Net;
using System.Net.Http.Headers;
using RclonePool.Core.Events;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Server;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Redundancy;

/// <summary>WebDAV GET of a parity-coded file while two of its six remotes are gone: whole and ranged reads stay bit-exact, and the damage is reported.</summary>
public sealed class DegradedWebDavTests
{
    private const int MiB = 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Gets_rebuild_what_two_lost_remotes_held_and_say_so()
    {
        await using var pool = await RealPool.OpenAsync(remotes: 6, chunkSize: MiB, configure: c =>
        {
            c.RedundancyMode = "parity";
            c.ParityDataShards = 4;
            c.ParityParityShards = 2;
        });
        var content = LocalPool.RandomBytes((5 * MiB) + 4321, 8);
        await pool.Pool.PutAsync(PoolPath.Parse("/movie.bin"), new MemoryStream(content), content.Length, PutOptions.Default, Ct);
        var missing = 0;
        using var subscription = pool.Pool.Events.Subscribe(_ => Interlocked.Increment(ref missing), PoolEventType.ChunkMissing);
        await using var server = await PoolServer.StartAsync(pool.Pool, new ServerOptions { Host = "127.0.0.1", Port = 0 }, null, Ct);
        using var client = new HttpClient { BaseAddress = server.Url, Timeout = TimeSpan.FromMinutes(2) };

        Directory.Delete(Path.Combine(pool.Root, "remotes", "r2"), recursive: true);
        Directory.Delete(Path.Combine(pool.Root, "remotes", "r6"), recursive: true);

        Assert.Equal(content, await client.GetByteArrayAsync("movie.bin", Ct));
        var random = new Random(3);
        for (var i = 0; i < 12; i++)
        {
            var from = random.Next(content.Length - 1);
            var to = Math.Min(content.Length - 1, from + random.Next(1, 3 * MiB));
            using var request = new HttpRequestMessage(HttpMethod.Get, "movie.bin") { Headers = { Range = new RangeHeaderValue(from, to) } };
            using var response = await client.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
            Assert.Equal(content.AsSpan(from, to - from + 1).ToArray(), await response.Content.ReadAsByteArrayAsync(Ct));
        }

        Assert.True(Volatile.Read(ref missing) > 0, "the lost shards were not reported");
    }
}
