namespace RclonePool.Core.Config;

/// <summary>
/// One entry of the <c>users</c> section: the pool a user of a multi-user <c>serve</c> (or <c>api</c>) gets, and its
/// quotas. The user's credentials are those of the authentication layer (<c>webdav_users</c>, <c>webdav_api_keys</c>).
/// </summary>
public sealed record UserPoolSpec
{
    /// <summary>The user's own pool config file (its remotes, index and cache): absolute, or starting with ~/.</summary>
    public string Config { get; init; } = string.Empty;

    /// <summary>Most logical bytes (the sum of the files' sizes) the user's pool may hold; 0 for no limit.</summary>
    public long QuotaBytes { get; init; }

    /// <summary>Most files the user's pool may hold (directories not counted); 0 for no limit.</summary>
    public long QuotaFiles { get; init; }
}
