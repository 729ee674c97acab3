namespace RclonePool.Core.Index;

/// <summary>How <see cref="SqlitePoolIndex"/> opens its file.</summary>
public sealed record SqlitePoolIndexOptions
{
    public static SqlitePoolIndexOptions Default { get; } = new();

    /// <summary>How long a statement waits for another process's write to finish before failing as transient.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Runs SQLite's <c>quick_check</c> at open (reads every page: seconds on a large index). Without it, open
    /// checks the header and the schema, and damage found later is recovered when an operation meets it.
    /// </summary>
    public bool CheckIntegrityOnOpen { get; init; }
}
