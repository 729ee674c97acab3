using System.Text.Json;
using RclonePool.Core.Errors;
using RclonePool.Core.Events;
using RclonePool.Server.Live;

namespace RclonePool.Tests.Unit.Live;

public sealed class LiveEventTranslatorTests
{
    private static readonly DateTimeOffset Time = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    private static (string Topic, JsonElement Data, string? Key) Translate(PoolEvent e)
    {
        var frame = LiveEventTranslator.Translate(e with { Time = Time });
        Assert.NotNull(frame);
        using var json = JsonDocument.Parse(frame.Payload);
        var root = json.RootElement;
        Assert.Equal("event", root.GetProperty("type").GetString());
        Assert.Equal("2026-12-06T10:00:00Z", root.GetProperty("time").GetString());
        var topic = root.GetProperty("topic").GetString()!;
        Assert.Equal(LiveTopics.BitOf(topic), frame.TopicBit);
        return (topic, root.GetProperty("data").Clone(), frame.CoalesceKey);
    }

    [Fact]
    public void Upload_and_download_progress_go_to_their_topics_and_coalesce_per_path()
    {
        var (topic, data, key) = Translate(new PoolEvent { Type = PoolEventType.Progress, Operation = "upload", Path = "/a.bin", Bytes = 10, TotalBytes = 100 });
        Assert.Equal("upload_progress", topic);
        Assert.Equal("""{"path":"/a.bin","bytes":10,"total_bytes":100,"operation":"upload"}""", data.GetRawText());
        Assert.NotNull(key);

        var (downloadTopic, _, downloadKey) = Translate(new PoolEvent { Type = PoolEventType.Progress, Operation = "download", Path = "/a.bin", Bytes = 5, TotalBytes = 100 });
        Assert.Equal("download_progress", downloadTopic);
        Assert.NotEqual(key, downloadKey);
    }

    [Fact]
    public void Progress_of_other_work_has_no_topic()
    {
        Assert.Null(LiveEventTranslator.Translate(new PoolEvent { Type = PoolEventType.Progress, Operation = "verify", Path = "/a", Bytes = 1 }));
    }

    [Fact]
    public void Verification_health_rebalance_and_remote_errors_carry_the_contracts_fields()
    {
        var (topic, data, key) = Translate(new PoolEvent { Type = PoolEventType.FileVerified, Path = "/v", Detail = "intact" });
        Assert.Equal(("verification", """{"path":"/v","intact":true,"detail":"intact"}""", null), (topic, data.GetRawText(), key));
        Assert.False(Translate(new PoolEvent { Type = PoolEventType.FileVerified, Path = "/v", Detail = "damaged (1 problem)" }).Data.GetProperty("intact").GetBoolean());

        (topic, data, _) = Translate(new PoolEvent { Type = PoolEventType.HealthChecked, Path = "/", Detail = "degraded: 3 files (2 healthy, 1 degraded)" });
        Assert.Equal(("health", """{"state":"degraded","summary":"degraded: 3 files (2 healthy, 1 degraded)"}"""), (topic, data.GetRawText()));

        (topic, data, _) = Translate(new PoolEvent { Type = PoolEventType.ChunkMoved, Path = "/m", Chunk = 2, Remote = "r2:", Bytes = 4096, Detail = "from r1:" });
        Assert.Equal(("rebalance", """{"path":"/m","chunk":2,"from":"r1:","to":"r2:","bytes":4096}"""), (topic, data.GetRawText()));

        (topic, data, _) = Translate(new PoolEvent { Type = PoolEventType.RemoteError, Remote = "r1:", Operation = "write", ErrorKind = PoolErrorKind.Transient, Detail = "connection refused" });
        Assert.Equal(("remote_error", """{"remote":"r1:","operation":"write","kind":"transient","detail":"connection refused"}"""), (topic, data.GetRawText()));
    }

    [Theory]
    [InlineData(PoolEventType.PreUpload, "PRE_UPLOAD")]
    [InlineData(PoolEventType.PostUpload, "POST_UPLOAD")]
    [InlineData(PoolEventType.PostDownload, "POST_DOWNLOAD")]
    [InlineData(PoolEventType.PostDelete, "POST_DELETE")]
    [InlineData(PoolEventType.FileRepaired, "FILE_REPAIRED")]
    [InlineData(PoolEventType.ChunkMissing, "CHUNK_MISSING")]
    public void File_events_go_to_the_files_topic_with_their_hook_name(PoolEventType type, string hook)
    {
        var (topic, data, key) = Translate(new PoolEvent { Type = type, Path = "/f", Bytes = 42 });
        Assert.Equal("files", topic);
        Assert.Equal(hook, data.GetProperty("event").GetString());
        Assert.Equal("/f", data.GetProperty("path").GetString());
        Assert.Equal(42, data.GetProperty("size").GetInt64());
        Assert.Null(key);
    }

    [Fact]
    public void Every_topic_has_its_own_bit_and_unknown_topics_none()
    {
        var bits = LiveTopics.All.Select(LiveTopics.BitOf).ToList();
        Assert.Equal(bits.Count, bits.Distinct().Count());
        Assert.All(bits, b => Assert.NotEqual(0, b));
        Assert.Equal(0, LiveTopics.BitOf("uploads"));
        Assert.Equal(0, LiveTopics.BitOf(null));
        Assert.Equal(0, LiveTopics.BitOf("UPLOAD_PROGRESS"));
    }
}
