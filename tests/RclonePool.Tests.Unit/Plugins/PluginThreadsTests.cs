using RclonePool.Core.Plugins;

namespace RclonePool.Tests.Unit.Plugins;

/// <summary>Plugin code runs on threads of its own: a hung call never holds a thread of the .NET thread pool.</summary>
public sealed class PluginThreadsTests
{
    [Fact]
    public async Task Calls_run_off_the_thread_pool_and_return_their_result_or_exception()
    {
        var threads = new PluginThreads("test plugin");

        var onPool = await threads.Run(() => Thread.CurrentThread.IsThreadPoolThread);
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => threads.Run<int>(() => throw new InvalidOperationException("plugin bug")));

        Assert.False(onPool);
        Assert.Equal("plugin bug", failure.Message);
    }

    [Fact]
    public async Task A_hung_call_keeps_its_own_thread_and_later_calls_still_run()
    {
        var threads = new PluginThreads("test plugin");
        using var release = new ManualResetEventSlim(false);

        var hung = threads.Run(() => release.Wait(TimeSpan.FromMinutes(1)) && !Thread.CurrentThread.IsThreadPoolThread);
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => threads.Run(() => i * 2)));

        Assert.False(hung.IsCompleted);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i * 2), answers);
        release.Set();
        Assert.True(await hung);
    }

    [Fact]
    public async Task Concurrent_calls_run_at_once_and_an_idle_thread_is_used_again()
    {
        var threads = new PluginThreads("test plugin");
        using var together = new Barrier(4);

        var met = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => threads.Run(() => together.SignalAndWait(TimeSpan.FromSeconds(10)))));
        var first = await threads.Run(() => Environment.CurrentManagedThreadId);
        var second = await threads.Run(() => Environment.CurrentManagedThreadId);

        Assert.All(met, Assert.True);
        Assert.Equal(first, second);
    }
}
