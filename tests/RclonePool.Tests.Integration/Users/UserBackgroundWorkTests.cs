using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Config;
using RclonePool.Core.Events;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Server.Users;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Users;

/// <summary>
/// Background work in a multi-user serve: a user whose own config asks for health monitoring gets it on their pool (opened
/// for it at start), its events reach only that user's event bus, and users whose configs ask for nothing are left alone
/// (their pools stay closed until they connect).
/// </summary>
public sealed class UserBackgroundWorkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Only_the_user_whose_config_asks_for_health_monitoring_gets_it_and_its_events_stay_on_their_pool()
    {
        var root = Path.Combine(Path.GetTempPath(), "rclonepool-userwork-" + Guid.NewGuid().ToString("N")[..10]);
        try
        {
            var serverConfig = ConfigLoader.Load(await UserServer.WriteConfigsAsync(root));
            var aliceConfigPath = serverConfig.Users["alice"].Config;
            var alice = ConfigLoader.Load(aliceConfigPath);
            alice.EnableHealthMonitoring = true;
            alice.HealthCheckInterval = 1;
            ConfigWriter.Write(alice, aliceConfigPath, overwrite: true);

            var log = new CapturingLoggerProvider();
            using var loggers = LoggerFactory.Create(b => b.AddProvider(log).SetMinimumLevel(LogLevel.Information));
            await using var users = UserPools.FromConfig(serverConfig, loggers);
            var work = new UserBackgroundWork(users, loggers);
            Assert.Equal(["alice"], work.Users);

            // bob connects and stores a file; his pool must see none of alice's health checks.
            var bob = await users.OpenAsync("bob", Ct);
            await bob.Pool.PutAsync(PoolPath.Parse("/bob.txt"), new MemoryStream(new byte[10_000]), 10_000, PutOptions.Default, Ct);
            var bobEvents = new ConcurrentQueue<PoolEvent>();
            using var bobSubscription = bob.Pool.Events.Subscribe(bobEvents.Enqueue, PoolEventType.HealthChecked);

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            var running = work.RunAsync(stop.Token);
            var aliceSession = await WaitForAsync(() => users.Opened.FirstOrDefault(s => s.User == "alice"));
            var aliceEvents = new ConcurrentQueue<PoolEvent>();
            using var aliceSubscription = aliceSession.Pool.Events.Subscribe(aliceEvents.Enqueue, PoolEventType.HealthChecked);
            await WaitForAsync(() => aliceEvents.Count >= 2 ? aliceEvents : null);

            await stop.CancelAsync();
            await running;
            Assert.Empty(bobEvents);
            Assert.DoesNotContain(users.Opened, s => s.User == "carol");
            Assert.Contains(log.Entries, e => e.Message.Contains("Background work of user 'alice' started on their pool: health monitoring every 1 s", StringComparison.Ordinal));
            Assert.DoesNotContain(log.Entries, e => e.Message.Contains("user 'bob'", StringComparison.Ordinal) || e.Message.Contains("user 'carol'", StringComparison.Ordinal));
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> found) where T : class
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            if (found() is { } value)
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, "the condition did not come true within 30 s");
            await Task.Delay(50, Ct);
        }
    }
}
