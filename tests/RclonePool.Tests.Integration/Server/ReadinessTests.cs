using System.Net;
using RclonePool.Core.Errors;
using RclonePool.Server;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Server;

/// <summary>/readyz on the real pool: ready while enough remotes answer for its redundancy, 503 once more fail.</summary>
public sealed class ReadinessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("none", 0)]
    [InlineData("replication", 1)]
    public async Task Readyz_turns_503_when_more_remotes_fail_than_the_redundancy_tolerates(string mode, int tolerated)
    {
        await using var pool = await RealPool.OpenAsync(configure: c =>
        {
            c.RedundancyMode = mode;
            c.ReplicationFactor = 2;
        });
        await using var server = await PoolServer.StartAsync(pool.Pool, new ServerOptions { Host = "127.0.0.1", Port = 0 }, null, Ct);
        using var client = new HttpClient { BaseAddress = server.Url };
        var statuses = new List<HttpStatusCode>();
        async Task ProbeAsync()
        {
            using var response = await client.GetAsync("/readyz", Ct);
            statuses.Add(response.StatusCode);
        }

        await ProbeAsync();
        foreach (var remote in pool.Pool.Remotes.Take(tolerated + 1))
        {
            for (var i = 0; i < pool.Pool.CircuitBreaker.Threshold; i++)
            {
                pool.Pool.CircuitBreaker.OnFailure(remote.Storage, new PoolException(PoolErrorKind.Transient, "the test says this remote is down"));
            }

            await ProbeAsync();
        }

        using var alive = await client.GetAsync("/healthz", Ct);
        var expected = Enumerable.Repeat(HttpStatusCode.OK, tolerated + 1).Append(HttpStatusCode.ServiceUnavailable);
        Assert.Equal(expected, statuses);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }
}
