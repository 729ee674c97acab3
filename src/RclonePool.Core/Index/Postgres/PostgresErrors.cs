using System.Net.Sockets;
using Npgsql;
using RclonePool.Core.Errors;

namespace RclonePool.Core.Index.Postgres;

/// <summary>Builds the exceptions the PostgreSQL index throws; each names the server and says what to check.</summary>
internal static class PostgresErrors
{
    public static PoolException MissingConnectionString() => new(
        PoolErrorKind.BadInput,
        "index_backend is postgresql but index_connection_string is not set; set it to an Npgsql connection string such as "
        + "'Host=db.example;Database=rclonepool;Username=rclonepool;Password=...'.");

    public static PoolException UnparsableConnectionString(Exception inner) => new(
        PoolErrorKind.BadInput,
        $"index_connection_string is not a valid PostgreSQL connection string ({inner.Message}); write it as 'Host=...;Database=...;Username=...;Password=...'.",
        inner);

    /// <summary>Opening the first connection failed: the server is down, unreachable, or refuses the user.</summary>
    public static PoolException Unreachable(string server, Exception inner) => inner switch
    {
        PostgresException { SqlState: "28P01" or "28000" } => new PoolException(
            PoolErrorKind.Environment,
            $"The PostgreSQL server {server} refused the index's login ({inner.Message}); check the user and password in index_connection_string.",
            inner),
        PostgresException { SqlState: "3D000" } => new PoolException(
            PoolErrorKind.Environment,
            $"The database named in index_connection_string does not exist on {server} ({inner.Message}); create it (createdb) or fix Database=.",
            inner),
        _ => new PoolException(
            PoolErrorKind.Environment,
            $"The PostgreSQL server {server} of the index cannot be reached ({inner.Message}); check that it runs, that Host and Port in "
            + "index_connection_string are right, and that this machine may connect (pg_hba.conf, firewall).",
            inner),
    };

    public static PoolException NewerSchema(string server, string schema, int found, int known) => new(
        PoolErrorKind.Environment,
        $"The index schema {schema} on {server} has version {found}, newer than this rclonepool knows ({known}); another gateway runs a newer "
        + "rclonepool: upgrade this one too.");

    /// <summary>For an error met by an operation on an open index.</summary>
    public static PoolException From(Exception e, string server) => e switch
    {
        PostgresException { SqlState: "53100" } => new PoolException(
            PoolErrorKind.NoSpace,
            $"The PostgreSQL server {server} of the index is out of disk space ({e.Message}); free space on it.",
            e),
        PostgresException { SqlState: "42501" } => new PoolException(
            PoolErrorKind.Environment,
            $"The PostgreSQL index on {server} may not be changed by this user ({e.Message}); grant it rights on the pool's schema.",
            e),
        NpgsqlException { IsTransient: true } or SocketException or TimeoutException => new PoolException(
            PoolErrorKind.Transient,
            $"The PostgreSQL server {server} of the index did not answer ({e.Message}); check that it runs and is reachable, then try again.",
            e),
        _ => new PoolException(
            PoolErrorKind.Environment,
            $"The PostgreSQL index on {server} failed ({e.Message}); check the server's log.",
            e),
    };

    /// <summary>True for the exceptions <see cref="From"/> translates.</summary>
    public static bool IsDatabaseError(Exception e) => e is NpgsqlException or SocketException or TimeoutException;
}
