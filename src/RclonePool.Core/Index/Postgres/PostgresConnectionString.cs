using Npgsql;

namespace RclonePool.Core.Index.Postgres;

/// <summary>Reads <c>index_connection_string</c> and describes the server it names, without its password.</summary>
public static class PostgresConnectionString
{
    /// <summary>The settings of a connection string; a <see cref="Errors.PoolException"/> of kind BadInput when it is missing or unparsable.</summary>
    public static NpgsqlConnectionStringBuilder Parse(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw PostgresErrors.MissingConnectionString();
        }

        try
        {
            var settings = new NpgsqlConnectionStringBuilder(connectionString);
            if (string.IsNullOrWhiteSpace(settings.Host))
            {
                throw new ArgumentException("it names no Host");
            }

            settings.ApplicationName ??= "rclonepool";

            // Statements run twice are prepared on the server from then on, per pooled connection.
            if (settings.MaxAutoPrepare == 0)
            {
                settings.MaxAutoPrepare = 64;
                settings.AutoPrepareMinUsages = 2;
            }

            return settings;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            throw PostgresErrors.UnparsableConnectionString(e);
        }
    }

    /// <summary>Why the string is unusable, or null when it parses (what config validation reports).</summary>
    public static string? Problem(string? connectionString)
    {
        try
        {
            Parse(connectionString);
            return null;
        }
        catch (Errors.PoolException e)
        {
            return e.Message;
        }
    }

    /// <summary>"host:port/database" (a Unix socket directory as host), for messages.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return $"{settings.Host}:{settings.Port}/{settings.Database ?? settings.Username ?? "(default database)"}";
    }
}
