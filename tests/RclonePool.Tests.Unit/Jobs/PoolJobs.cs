using RclonePool.Core.Events;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Core.Remotes;
using RclonePool.Tests.Unit.Support;

namespace RclonePool.Tests.Unit.Jobs;

/// <summary>A pool of three in-memory remotes for the robustness jobs, with helpers to damage what it stores.</summary>
internal sealed class PoolJobs : IAsyncDisposable
{
    public const int Chunk = 64 * 1024;
    public static readonly string[] RemoteNames = ["a:", "b:", "c:"];

    private PoolJobs(InMemoryRemoteStore memory, ScriptedRemoteStore script, TestPool test)
    {
        Memory = memory;
        Script = script;
        Test = test;
        Test.Pool.Events.Subscribe(e =>
        {
            lock (Events)
            {
                Events.Add(e);
            }
        });
    }

    public InMemoryRemoteStore Memory { get; }

    public ScriptedRemoteStore Script { get; }

    public TestPool Test { get; }

    public StoragePool Pool => Test.Pool;

    public List<PoolEvent> Events { get; } = [];

    public static async Task<PoolJobs> CreateAsync(Action<Core.Config.PoolConfig>? configure = null)
    {
        var memory = new InMemoryRemoteStore(RemoteNames);
        var script = new ScriptedRemoteStore(memory);
        return new PoolJobs(memory, script, await TestPool.CreateAsync(script, configure));
    }

    public static byte[] Data(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    public async Task<Manifest> PutAsync(string path, byte[] data)
    {
        await Pool.PutAsync(PoolPath.Parse(path), new MemoryStream(data), data.Length, PutOptions.Default, CancellationToken.None);
        return (await Pool.GetManifestAsync(PoolPath.Parse(path), CancellationToken.None))!;
    }

    public async Task<byte[]> ReadAsync(string path)
    {
        await using var stream = await Pool.OpenReadAsync(PoolPath.Parse(path), 0, -1, CancellationToken.None);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    public static string Key(ChunkLocation location) => RemotePath.Join(location.Remote, location.Object);

    public static string ManifestKey(string remote, Manifest manifest) => RemotePath.Join(remote, "rclonepool_manifests/" + manifest.ObjectName);

    public IEnumerable<string> DataKeys() => RemoteNames.SelectMany(r => Memory.Keys(r, "rclonepool_data"));

    public string LocalFile(byte[] data)
    {
        var path = Path.Combine(Test.Directory, "local-" + Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(path, data);
        return path;
    }

    public ValueTask DisposeAsync() => Test.DisposeAsync();
}
