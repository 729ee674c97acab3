namespace RclonePool.Tests.Integration.Faults;

/// <summary>
/// A tiny tmpfs mounted for one test (root only: <c>mount -t tmpfs -o size=…,nr_inodes=…</c>), so a remote runs out of
/// space for real (ENOSPC). Where mounting is not permitted, <see cref="TryMountAsync"/> returns null and the test is
/// skipped with the reason: a size-limited directory cannot be had without a mount (quotas and loop devices need one too).
/// </summary>
public sealed class TmpfsMount : IAsyncDisposable
{
    private TmpfsMount(string path) => Path = path;

    public string Path { get; }

    public static async Task<(TmpfsMount? Mount, string? Why)> TryMountAsync(string path, string size, int? inodes = null)
    {
        Directory.CreateDirectory(path);
        var options = $"size={size}" + (inodes is { } n ? $",nr_inodes={n}" : "");
        var (exit, _, stderr) = await Support.Tools.RunAsync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", path]);
        return exit == 0 ? (new TmpfsMount(path), null) : (null, $"mount -t tmpfs is not permitted here ({stderr.Trim()})");
    }

    public async ValueTask DisposeAsync()
    {
        await Support.Tools.RunAsync("umount", ["-l", Path]);
    }
}
