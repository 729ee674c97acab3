using Microsoft.Data.Sqlite;
using RclonePool.Core.Errors;

namespace RclonePool.Core.Index.Sqlite;

/// <summary>Builds the exceptions the SQLite index throws, from SQLite result codes.</summary>
internal static class IndexErrors
{
    private const int SqliteError = 1;
    private const int SqlitePerm = 3;
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteReadOnly = 8;
    private const int SqliteCorrupt = 11;
    private const int SqliteFull = 13;
    private const int SqliteNotADatabase = 26;

    public static bool IsDamage(SqliteException e) => (e.SqliteErrorCode & 0xFF) is SqliteCorrupt or SqliteNotADatabase;

    /// <summary>For an error that is not damage (damage is recovered by <see cref="IndexDatabase.Recover"/>).</summary>
    public static PoolException From(SqliteException e, string path) => (e.SqliteErrorCode & 0xFF) switch
    {
        SqliteError when e.Message.Contains("no such table", StringComparison.Ordinal) => new PoolException(
            PoolErrorKind.Transient,
            $"The index {path} is being recreated by another rclonepool process; try again.",
            e),
        SqliteBusy or SqliteLocked => new PoolException(
            PoolErrorKind.Transient,
            $"The index {path} stayed locked by another rclonepool process for too long ({e.Message}); try again.",
            e),
        SqliteFull => new PoolException(
            PoolErrorKind.NoSpace,
            $"The disk holding the index {path} is full; free space there or point manifest_cache_dir elsewhere.",
            e),
        SqlitePerm or SqliteReadOnly => new PoolException(
            PoolErrorKind.Environment,
            $"The index {path} cannot be written ({e.Message}); check the permissions of manifest_cache_dir.",
            e),
        _ => new PoolException(
            PoolErrorKind.Environment,
            $"The index {path} failed ({e.Message}); check the disk and permissions of manifest_cache_dir.",
            e),
    };

    public static PoolException Recreated(string path, string reason, Exception inner) => new(
        PoolErrorKind.Integrity,
        $"The index {path} was damaged ({reason}); it has been recreated empty. Run 'rclonepool index rebuild' to refill it from the remotes.",
        inner);

    public static PoolException DamageNotConfirmed(string path, Exception inner) => new(
        PoolErrorKind.Transient,
        $"SQLite reported damage in the index {path} ({inner.Message}), but the file now checks as sound (another process may have recreated it); try again.",
        inner);

    public static PoolException CannotRecreate(string path, string reason, Exception? inner = null) => new(
        PoolErrorKind.Environment,
        $"The index {path} is unusable ({reason}) and could not be replaced; delete it by hand (it is rebuilt from the remotes).",
        inner);

    public static PoolException LockTimeout(string lockPath, TimeSpan timeout) => new(
        PoolErrorKind.Transient,
        $"Another rclonepool process held {lockPath} for more than {timeout.TotalSeconds:0} s while opening the index; try again.");

}
