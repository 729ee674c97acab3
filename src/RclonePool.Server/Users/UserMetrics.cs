using Prometheus;

namespace RclonePool.Server.Users;

/// <summary>
/// The per-user series of a multi-user server (label <c>user</c>, one value per user of the users section, so the
/// number of series stays bounded): quotas for every user; usage and traffic for the pools opened so far, read at
/// scrape time from each pool's running totals and counters.
/// </summary>
internal static class UserMetrics
{
    public static void Register(CollectorRegistry registry, UserPools users)
    {
        var f = Prometheus.Metrics.WithCustomRegistry(registry);
        var quotaBytes = f.CreateGauge("rclonepool_user_quota_bytes", "The user's quota_bytes (0: no limit).", "user");
        var quotaFiles = f.CreateGauge("rclonepool_user_quota_files", "The user's quota_files (0: no limit).", "user");
        var open = f.CreateGauge("rclonepool_user_pool_open", "1 when the user's pool is open (it opens on the user's first request).", "user");
        var usedBytes = f.CreateGauge("rclonepool_user_used_bytes", "Logical bytes of the files in the user's pool (what quota_bytes counts).", "user");
        var files = f.CreateGauge("rclonepool_user_files", "Files in the user's pool (what quota_files counts).", "user");
        var uploaded = f.CreateCounter("rclonepool_user_upload_bytes_total", "File bytes stored into the user's pool since it opened.", "user");
        var downloaded = f.CreateCounter("rclonepool_user_download_bytes_total", "File bytes served from the user's pool since it opened.", "user");
        foreach (var user in users.Names)
        {
            var spec = users.SpecOf(user);
            quotaBytes.WithLabels(user).Set(spec.QuotaBytes);
            quotaFiles.WithLabels(user).Set(spec.QuotaFiles);
            open.WithLabels(user).Set(0);
        }

        registry.AddBeforeCollectCallback(async cancellationToken =>
        {
            foreach (var session in users.Opened)
            {
                var user = session.User;
                open.WithLabels(user).Set(1);
                var totals = await session.Pool.TotalsAsync(cancellationToken);
                usedBytes.WithLabels(user).Set(totals.Bytes);
                files.WithLabels(user).Set(totals.Files);
                uploaded.WithLabels(user).IncTo(session.Pool.Traffic.UploadedBytes);
                downloaded.WithLabels(user).IncTo(session.Pool.Traffic.DownloadedBytes);
            }
        });
    }
}
