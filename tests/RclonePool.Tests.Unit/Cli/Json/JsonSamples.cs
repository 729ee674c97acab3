using RclonePool.Core.Integrity;
using RclonePool.Core.Jobs;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;

namespace RclonePool.Tests.Unit.Cli.Json;

/// <summary>
/// Fixed reports for the <c>--json</c> golden files: every optional field present and absent, empty lists, non-ASCII
/// names and names the default encoder escapes (quotes, '+', '&lt;', '&amp;', a surrogate pair).
/// </summary>
internal static class JsonSamples
{
    public const string Awkward = "/in \"quotes\" a+b <tag> & 'x'.bin";

    public const string NonAscii = "/fotos/Ärger – 日本語 😀.jpg";

    public static readonly DateTimeOffset Utc = new(2024, 5, 17, 8, 30, 15, TimeSpan.Zero);

    public static readonly DateTimeOffset Offset = new DateTimeOffset(2023, 12, 31, 23, 59, 59, TimeSpan.FromHours(2)).AddTicks(1234567);

    /// <summary>One damage of each shape: every optional field set, none set, and a chunk of 0.</summary>
    public static IReadOnlyList<Damage> Damage { get; } =
    [
        new() { Kind = DamageKind.Corrupt, Path = NonAscii, FileId = "f0123456789abcdef", Chunk = 3, Remote = "b:", Object = "rclonepool_data/ab/ab01", Detail = "block 2 does not match its hash" },
        new() { Kind = DamageKind.Unreachable, Remote = "c:", Detail = "listing failed: \"connection refused\"\n\tretry later" },
        new() { Kind = DamageKind.ManifestDamaged, Detail = "no readable copy" },
        new() { Kind = DamageKind.Missing, Path = Awkward, Chunk = 0, Object = "rclonepool_data/cd/cd02", Detail = "not found" },
        new() { Kind = DamageKind.IndexStale, FileId = "f-only-id", Detail = "index says revision 2, remotes 3" },
    ];

    public static VerifyReport VerifyClean { get; } = new() { Quick = true, Scope = "/", Damage = [] };

    public static VerifyReport VerifyDamaged { get; } = new()
    {
        Quick = false,
        Scope = "/fotos",
        Files = 12,
        Directories = 3,
        Chunks = 40,
        BytesRead = 5_368_709_120,
        RemoteCalls = 77,
        Damage = Damage,
    };

    public static HealthReport HealthEmpty { get; } = new() { Scope = "/", Files = [], Remotes = [] };

    public static HealthReport HealthProblems { get; } = new()
    {
        Scope = "/fotos",
        Deep = true,
        Directories = 2,
        ObjectsChecked = 18,
        BytesRead = 1_048_576,
        RemoteCalls = 9,
        Files =
        [
            new() { Path = "/fotos/a.jpg", FileId = "fa", Revision = 1, Size = 100, Mode = "replication", State = HealthState.Healthy, Tolerance = 1, Margin = 1, Chunks = 1, ObjectsExpected = 2, ObjectsAvailable = 2 },
            new() { Path = NonAscii, FileId = "fb", Revision = 4, Size = 10_000_000_000, Mode = "parity", State = HealthState.Degraded, Tolerance = 2, Margin = 1, Chunks = 3, ObjectsExpected = 18, ObjectsAvailable = 17, Problems = [Damage[0]] },
            new() { Path = Awkward, FileId = "fc", Revision = 2, Size = 0, Mode = "none", State = HealthState.Lost, Tolerance = 0, Margin = -1, Chunks = 1, ObjectsExpected = 1, ObjectsAvailable = 0, Problems = [Damage[3], Damage[1]] },
        ],
        Remotes =
        [
            new() { Name = "a:", Reachable = true, ObjectsExpected = 7, ObjectsPresent = 7 },
            new() { Name = "b:", Reachable = true, ObjectsExpected = 7, ObjectsPresent = 5, ObjectsDamaged = 1, ManifestsMissing = 1 },
            new() { Name = "c:", Reachable = false, Error = "connection refused <127.0.0.1:0>", ObjectsExpected = 7 },
        ],
        ManifestProblems = [Damage[2]],
        UnreadableEntries = [Damage[4]],
    };

    public static OrphanReport OrphansEmpty { get; } = new() { Chunks = [], StaleManifests = [] };

    public static OrphanReport OrphansFound { get; } = new()
    {
        Chunks =
        [
            new("b:", "rclonepool_data/ab/ab000000", 1000, Utc, OldEnough: true),
            new("c:", "rclonepool_data/cd/cd000000", 24, Offset, OldEnough: false, Note: "temporary file of an interrupted write"),
        ],
        StaleManifests = [new("a:", "rclonepool_meta/fb.2.json", "fb", 2, 4, NonAscii, OldEnough: true)],
        StaleMarkers = [new("a:", "rclonepool_meta/shared/x", 0, Utc, OldEnough: true)],
        ReferencedChunks = 30,
        Blockers = ["remote c: could not be listed", Awkward],
        UnreachableRemotes = 1,
        Deleted = true,
        ChunksDeleted = 1,
        BytesDeleted = 1000,
        ManifestsDeleted = 1,
        IndexCorrections = 2,
        RemoteCalls = 15,
    };

    public static RebuildReport RebuildEmpty { get; } = new();

    public static RebuildReport RebuildPartial { get; } = new()
    {
        EntriesChecked = 20,
        ObjectsChecked = 60,
        RemotesClaimed = ["d:"],
        Restored =
        [
            new()
            {
                Path = NonAscii,
                Revision = 5,
                Rewritten = [new(0, DamageKind.Missing, "not found", "b:", "rclonepool_data/ab/ab01", "d:", "rclonepool_data/ef/ef01")],
                ManifestCopiesWritten = ["b:", "d:"],
            },
            new() { Path = "/only/manifest", Revision = 1, ManifestCopiesWritten = ["c:"] },
        ],
        Failed = [(Awkward, "3 of 6 shards lost; the stripe survives 2")],
        RemoteCalls = 120,
    };

    public static IReadOnlyList<PoolEntry> LsEntries { get; } =
    [
        new() { Path = PoolPath.Parse("/fotos"), Kind = EntryKind.Directory },
        new() { Path = PoolPath.Parse(NonAscii), Kind = EntryKind.File, Size = 123_456, Modified = Offset },
        new() { Path = PoolPath.Parse(Awkward), Kind = EntryKind.File, Size = 0, Modified = Utc },
    ];

    public static BalanceReport BalanceEven { get; } = new([new("a:", 0, null, null, 0, 0, 0, 1, 0)], 0, 10);

    public static BalanceReport BalanceUneven { get; } = new(
    [
        new("gdrive:", 3_221_225_472, 12_884_901_888, 16_106_127_360, 37.5, 31, 12.5, 1, 0),
        new("/srv/disk \"1\"", 5_368_709_120, 1_099_511_627_776, 2_199_023_255_552, 62.5, 52, -0.33, 2.5, 10),
        new("empty:", 0, null, null, 0, 0, -100, 1, 0),
    ], 57.735026918962584, 10);

    private static readonly Core.Placement.RemoteLoad[] Loads = [new("a:", null, 300, 0), new("b:", null, 0, 0)];

    private static readonly ChunkMove[] Moves =
    [
        new(NonAscii, "f1", 2, 0, new ChunkLocation { Remote = "a:", Object = "rclonepool_data/ab/ab01", StoredLength = 100 }, "b:"),
        new(Awkward, "f2", 1, 3, new ChunkLocation { Remote = "a:", Object = "rclonepool_data/cd/cd02", Role = LocationRole.Shard, Shard = 4, StoredLength = 50 }, "b:"),
    ];

    private static readonly RebalancePlan Plan = new() { Moves = Moves, Before = Loads, After = RebalancePlanner.Apply(Loads, Moves), TargetVariance = 5 };

    public static RebalanceReport RebalanceDryRun { get; } = new() { Plan = Plan, DryRun = true, VarianceAfter = 33.333333, RemoteCalls = 8 };

    public static RebalanceReport RebalancePartial { get; } = new()
    {
        Plan = Plan,
        Moved = [Moves[0]],
        Failed = [(Awkward, "Chunk 3 copied to b: did not read back intact; it stays on a:.")],
        Skipped = 1,
        Finished = 2,
        VarianceAfter = 50,
        RemoteCalls = 40,
    };
}
