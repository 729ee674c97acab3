namespace RclonePool.Core.Jobs;

/// <summary>What <c>orphans</c> does.</summary>
public sealed record OrphanOptions
{
    /// <summary>The grace period: only objects (and stale revisions) older than this are removed, so an upload or
    /// overwrite in progress elsewhere is never harmed.</summary>
    public static readonly TimeSpan DefaultMinAge = TimeSpan.FromHours(1);

    /// <summary>Remove what is found (only when every remote was listed and every manifest read).</summary>
    public bool Delete { get; init; }

    public TimeSpan MinAge { get; init; } = DefaultMinAge;
}
