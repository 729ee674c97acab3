using System.Text.Json;
using RclonePool.Core.Errors;
using RclonePool.Core.Paths;
using RclonePool.Server;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.WebDav;

/// <summary>rclone as a WebDAV client of the server over the real pool (a <c>:webdav,...:</c> connection string, vendor other).</summary>
public sealed class RcloneClientTests : IAsyncLifetime
{
    private static readonly Dictionary<string, int> Files = new()
    {
        ["big.bin"] = (3 << 20) + 123,
        ["empty"] = 0,
        ["sub/a.txt"] = 3,
        ["sub/deeper/b.dat"] = 777,
        ["name with spaces & ü%.txt"] = 4096,
    };

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("rclone-client-");
    private RealPool _pool = null!;
    private RunningServer _server = null!;
    private string _rclone = null!;
    private string _config = null!;

    public async ValueTask InitializeAsync()
    {
        _rclone = Tools.Require("rclone");
        _pool = await RealPool.OpenAsync(chunkSize: 1 << 20);
        _server = await PoolServer.StartAsync(_pool.Pool, new ServerOptions { Host = "127.0.0.1", Port = 0 }, null, TestContext.Current.CancellationToken);
        _config = Path.Combine(_work.FullName, "rclone.conf");
        await File.WriteAllTextAsync(_config, string.Empty, TestContext.Current.CancellationToken);
        var random = new Random(4);
        foreach (var (name, size) in Files)
        {
            var path = Path.Combine(_work.FullName, "src", name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var bytes = new byte[size];
            random.NextBytes(bytes);
            await File.WriteAllBytesAsync(path, bytes, TestContext.Current.CancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _pool.DisposeAsync();
        _work.Delete(recursive: true);
    }

    [Fact]
    public async Task Rclone_copies_lists_reads_ranges_moves_and_deletes_with_every_byte_intact()
    {
        var source = Path.Combine(_work.FullName, "src");

        await RcloneAsync("copy", source, Remote("in"));
        foreach (var name in Files.Keys)
        {
            Assert.Equal(Local(name), await ReadAllAsync(PoolPath.Parse("/in/" + name)));
        }

        var listing = JsonDocument.Parse(await RcloneAsync("lsjson", "-R", Remote("in"))).RootElement.EnumerateArray()
            .Select(e => (e.GetProperty("Path").GetString()!, e.GetProperty("IsDir").GetBoolean(), e.GetProperty("Size").GetInt64()))
            .Where(e => !e.Item2)
            .Select(e => (e.Item1, e.Item3))
            .Order()
            .ToList();
        Assert.Equal(Files.Select(f => (f.Key, (long)f.Value)).Order().ToList(), listing);

        var big = Local("big.bin");
        foreach (var (offset, count) in new[] { (0, 1), (1000, 10), (65_530, 70_000), (big.Length - 5, 100), (1 << 20, 1 << 20) })
        {
            var bytes = await RcloneBytesAsync("cat", "--offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--count", count.ToString(System.Globalization.CultureInfo.InvariantCulture), Remote("in/big.bin"));
            Assert.Equal(big.AsSpan(offset, Math.Min(count, big.Length - offset)).ToArray(), bytes);
        }

        await RcloneAsync("moveto", Remote("in/big.bin"), Remote("in/moved/big2.bin"));
        Assert.Null(await ReadAllAsync(PoolPath.Parse("/in/big.bin")));
        Assert.Equal(big, await ReadAllAsync(PoolPath.Parse("/in/moved/big2.bin")));

        var back = Path.Combine(_work.FullName, "back");
        await RcloneAsync("copy", Remote("in"), back);
        foreach (var name in Files.Keys.Where(n => n != "big.bin"))
        {
            Assert.Equal(Local(name), await File.ReadAllBytesAsync(Path.Combine(back, name), TestContext.Current.CancellationToken));
        }

        Assert.Equal(big, await File.ReadAllBytesAsync(Path.Combine(back, "moved", "big2.bin"), TestContext.Current.CancellationToken));

        await RcloneAsync("delete", Remote("in/sub"));
        Assert.Null(await ReadAllAsync(PoolPath.Parse("/in/sub/a.txt")));
        Assert.Null(await ReadAllAsync(PoolPath.Parse("/in/sub/deeper/b.dat")));
        Assert.Equal(Local("empty"), await ReadAllAsync(PoolPath.Parse("/in/empty")));
        Assert.Equal(3, await CountFilesAsync());
    }

    /// <summary>A file's verified bytes read back from the pool itself, or null when it is not there.</summary>
    private async Task<byte[]?> ReadAllAsync(PoolPath path)
    {
        try
        {
            await using var stream = await _pool.Pool.OpenReadAsync(path, 0, -1, TestContext.Current.CancellationToken);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, TestContext.Current.CancellationToken);
            return buffer.ToArray();
        }
        catch (PoolException e) when (e.Kind == PoolErrorKind.NotFound)
        {
            return null;
        }
    }

    private async Task<int> CountFilesAsync()
    {
        var count = 0;
        await foreach (var entry in _pool.Pool.ListAsync(PoolPath.Root, recursive: true, TestContext.Current.CancellationToken))
        {
            count += entry.IsDirectory ? 0 : 1;
        }

        return count;
    }

    private string Remote(string path) => $":webdav,url='{_server.Url}',vendor=other:{path}";

    private byte[] Local(string name) => File.ReadAllBytes(Path.Combine(_work.FullName, "src", name));

    private async Task<string> RcloneAsync(params string[] arguments)
    {
        var (exit, stdout, stderr) = await Tools.RunAsync(_rclone, CommonArguments().Concat(arguments), _work.FullName);
        Assert.True(exit == 0, $"rclone {string.Join(' ', arguments)} exited {exit}:\n{stderr}");
        return stdout;
    }

    private async Task<byte[]> RcloneBytesAsync(params string[] arguments)
    {
        var (exit, stdout, stderr) = await Tools.RunForBytesAsync(_rclone, CommonArguments().Concat(arguments), _work.FullName);
        Assert.True(exit == 0, $"rclone {string.Join(' ', arguments)} exited {exit}:\n{stderr}");
        return stdout;
    }

    private string[] CommonArguments() => ["--config", _config, "--retries", "1", "--low-level-retries", "1", "--contimeout", "10s", "--timeout", "30s"];
}
