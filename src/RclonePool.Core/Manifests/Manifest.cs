namespace RclonePool.Core.Manifests;

/// <summary>
/// The durable description of one pool entry, written as JSON to every remote (see docs/manifest-format.md).
/// A manifest is immutable: a change writes a new <see cref="Revision"/> under a new object name, and the
/// highest valid revision of a <see cref="FileId"/> wins.
/// </summary>
public sealed record Manifest
{
    public const string FormatName = "rclonepool-manifest";
    /// <summary>The highest format this rclonepool reads.</summary>
    public const int CurrentFormatVersion = 5;

    /// <summary>Format 1: every chunk is stored as objects. What manifests are written as unless they need more.</summary>
    public const int BaseFormatVersion = 1;

    /// <summary>Format 2: some chunk is held inline (<see cref="ChunkEntry.Inline"/>); format-1 readers must refuse it.</summary>
    public const int InlineFormatVersion = 2;
    /// <summary>Format 3: some chunk is compressed (<see cref="ChunkEntry.Codec"/>); format-1 and 2 readers must refuse it.</summary>
    public const int CompressedFormatVersion = 3;

    /// <summary>
    /// Format 4: some chunk object is content-addressed (<c>enable_deduplication</c>) and may be named by other manifests
    /// too. Nothing new to read, but a format-3 writer would delete such objects with the file; so it must refuse them.
    /// </summary>
    public const int DedupFormatVersion = 4;

    /// <summary>
    /// Format 5: some chunk's stored form was made by a plugin (<see cref="ChunkEntry.Codec"/> names a compression,
    /// encryption or transformer plugin, <see cref="Plugins"/> lists them): a format-4 reader must refuse it ("upgrade")
    /// rather than call it damaged.
    /// </summary>
    public const int PluginCodecFormatVersion = 5;

    public const string DefaultBlockHash = "xxh128";

    public string Format { get; init; } = FormatName;

    /// <summary>Readers refuse manifests with a higher format version than they know.</summary>
    public int FormatVersion { get; init; } = BaseFormatVersion;

    public required string PoolId { get; init; }

    /// <summary>Stable identity of the entry across renames and overwrites (32 hex characters).</summary>
    public required string FileId { get; init; }

    /// <summary>Increases by one with every change of the entry.</summary>
    public long Revision { get; init; } = 1;

    public EntryKind Kind { get; init; } = EntryKind.File;

    /// <summary>Normalised pool path ("/dir/name").</summary>
    public required string Path { get; init; }

    public long Size { get; init; }

    public DateTimeOffset Created { get; init; }

    public DateTimeOffset Modified { get; init; }

    /// <summary>When this revision was written.</summary>
    public DateTimeOffset Written { get; init; }

    /// <summary>SHA-256 (lowercase hex) of the whole file; null for directories.</summary>
    public string? Sha256 { get; init; }

    public long ChunkSize { get; init; }

    public int BlockSize { get; init; }

    // Members that older manifests may lack keep their defaults through a backing field: the JSON source
    // generator sets every init-only member, so an initializer alone would be overwritten with null.
    private readonly string? _blockHash;
    private readonly RedundancySpec? _redundancy;
    private readonly IReadOnlyList<ChunkEntry>? _chunks;

    public string BlockHash { get => _blockHash ?? DefaultBlockHash; init => _blockHash = value; }

    public RedundancySpec Redundancy { get => _redundancy ?? RedundancySpec.None; init => _redundancy = value; }

    /// <summary>Compression used for chunks that shrank ("zstd"), or null.</summary>
    public string? Compression { get; init; }

    /// <summary>The zstd level the compressed chunks were written with (so a repair can write the same stored form again); null when none is.</summary>
    public int? CompressionLevel { get; init; }

    /// <summary>
    /// The plugins whose codecs the chunks name (<see cref="ChunkEntry.Codec"/>), with the version that wrote them; null
    /// when none does. Reading the file needs each of them enabled (docs/plugins.md).
    /// </summary>
    public IReadOnlyList<CodecPlugin>? Plugins { get; init; }

    public IReadOnlyList<ChunkEntry> Chunks { get => _chunks ?? []; init => _chunks = value; }

    /// <summary>Dead properties (WebDAV PROPPATCH) kept with the entry; null when none.</summary>
    public IReadOnlyDictionary<string, string>? Properties { get; init; }

    /// <summary>
    /// This revision without what describes the content (chunks, inline data, hashes, plugins, properties): which file,
    /// which revision, where and how large. What a survey keeps per file for jobs that only place records (compaction).
    /// </summary>
    public Manifest Summary() => this with { Chunks = [], Plugins = null, Properties = null, Sha256 = null };

    /// <summary>
    /// This revision as 'verify --quick' and 'orphans' need it of every file at once: its chunks' lengths and locations,
    /// without digests, plugins, properties and inline data that matches its SHA-256 (<see cref="LeanManifest"/>).
    /// <paramref name="fileId"/> is the survey's string for the same id, shared instead of a copy per manifest. Never
    /// written or indexed.
    /// </summary>
    public Manifest Lean(string fileId) => LeanManifest.Of(this, fileId);

    /// <summary>The object name of this revision under <c>manifest_prefix</c>.</summary>
    public string ObjectName => ManifestNames.ObjectName(FileId, Revision);
}
