using System.Text.Json;
using RclonePool.Core.Errors;
using RclonePool.Server.Api.Jobs;
using RclonePool.Server.Metrics;

namespace RclonePool.Tests.Unit.Api;

public sealed class JobRegistryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_job_runs_to_its_result_with_its_progress()
    {
        await using var registry = new JobRegistry();
        var job = registry.Start("alice", "verify", "bytes", async (job, ct) =>
        {
            job.SetTotal(10);
            job.Report(4);
            job.Report(10);
            job.Report(7); // a late report from another worker never moves progress back
            await Task.Yield();
            return JsonSerializer.SerializeToElement(42);
        });

        await job.Completion.WaitAsync(Ct);
        Assert.Equal(JobState.Succeeded, job.State);
        Assert.Equal(10, job.Done);
        Assert.Equal(10, job.Total);
        Assert.Equal(42, job.Result!.Value.GetInt32());
        Assert.NotNull(job.StartedAt);
        Assert.NotNull(job.FinishedAt);
    }

    [Fact]
    public async Task Another_users_job_does_not_exist_for_them()
    {
        await using var registry = new JobRegistry();
        var job = registry.Start("alice", "verify", "bytes", (_, _) => Task.FromResult<JsonElement?>(null));
        await job.Completion.WaitAsync(Ct);

        Assert.Same(job, registry.Find(job.Id, "alice"));
        Assert.Null(registry.Find(job.Id, "bob"));
        Assert.Empty(registry.Of("bob"));
        Assert.Single(registry.Of("alice"));
    }

    [Fact]
    public async Task The_metrics_count_jobs_by_kind_and_state()
    {
        await using var registry = new JobRegistry();
        var done = registry.Start("alice", "verify", "bytes", (_, _) => Task.FromResult<JsonElement?>(null));
        await done.Completion.WaitAsync(Ct);
        var release = new TaskCompletionSource();
        var running = registry.Start("bob", "rebalance", "bytes", async (_, ct) =>
        {
            await release.Task.WaitAsync(ct);
            return null;
        });
        while (running.State != JobState.Running)
        {
            await Task.Delay(10, Ct);
        }

        var counts = registry.CountJobs().OrderBy(c => c.Kind, StringComparer.Ordinal).ToList();

        Assert.Equal([new("rebalance", "running", 1), new("verify", "succeeded", 1)], counts);
        release.SetResult();
        await running.Completion.WaitAsync(Ct);
    }

    [Fact]
    public async Task A_failure_keeps_the_pool_errors_words_and_status()
    {
        await using var registry = new JobRegistry();
        var job = registry.Start("alice", "repair", "bytes", (_, _) =>
            throw new PoolException(PoolErrorKind.NotFound, "/x does not exist in the pool; 'rclonepool ls /' shows what is there."));
        await job.Completion.WaitAsync(Ct);

        Assert.Equal(JobState.Failed, job.State);
        Assert.Equal(404, job.Error!.Status);
        Assert.Equal("/x does not exist in the pool; 'rclonepool ls /' shows what is there.", job.Error.Detail);
        Assert.Equal("Not Found", job.Error.Title);
    }

    [Fact]
    public async Task Cancelling_a_running_job_ends_it_cancelled_and_a_queued_one_never_starts()
    {
        await using var registry = new JobRegistry(new JobRegistryOptions { MaxRunning = 1 });
        var running = new TaskCompletionSource();
        var first = registry.Start("alice", "rebalance", "bytes", async (_, ct) =>
        {
            running.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        });
        await running.Task.WaitAsync(Ct); // the first holds the only slot before the second is started
        var secondStarted = false;
        var second = registry.Start("alice", "verify", "bytes", (_, _) =>
        {
            secondStarted = true;
            return Task.FromResult<JsonElement?>(null);
        });
        Assert.Equal(JobState.Running, first.State);
        Assert.Equal(JobState.Queued, second.State);

        Assert.True(JobRegistry.Cancel(second));
        Assert.True(JobRegistry.Cancel(first));
        await Task.WhenAll(first.Completion, second.Completion).WaitAsync(Ct);

        Assert.Equal(JobState.Cancelled, first.State);
        Assert.Equal(JobState.Cancelled, second.State);
        Assert.False(secondStarted);
        Assert.False(JobRegistry.Cancel(first));
    }

    [Fact]
    public async Task Finished_jobs_beyond_the_history_are_forgotten_oldest_first()
    {
        var clock = new RclonePool.Tests.Unit.Auth.SteppedClock();
        await using var registry = new JobRegistry(new JobRegistryOptions { MaxFinished = 2, TimeProvider = clock });
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var job = registry.Start("alice", "verify", "bytes", (_, _) => Task.FromResult<JsonElement?>(null));
            await job.Completion.WaitAsync(Ct);
            ids.Add(job.Id);
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(ids[2..].AsEnumerable().Reverse(), registry.Of("alice").Select(j => j.Id));
    }

    [Fact]
    public async Task Disposing_the_registry_cancels_and_awaits_every_job()
    {
        var registry = new JobRegistry();
        var started = new TaskCompletionSource();
        var job = registry.Start("alice", "verify", "bytes", async (_, ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        });
        await started.Task.WaitAsync(Ct);

        await registry.DisposeAsync().AsTask().WaitAsync(Ct);

        Assert.Equal(JobState.Cancelled, job.State);
        Assert.Throws<ObjectDisposedException>(() => registry.Start("alice", "verify", "bytes", (_, _) => Task.FromResult<JsonElement?>(null)));
    }
}
