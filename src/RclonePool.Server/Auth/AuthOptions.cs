namespace RclonePool.Server.Auth;

/// <summary>What <see cref="CredentialAuthenticator"/> asks for and how it treats failures.</summary>
public sealed record AuthOptions
{
    public required AuthMethod Method { get; init; }

    public required CredentialStore Credentials { get; init; }

    /// <summary>The realm named in the challenge (what a browser shows in its login box).</summary>
    public string Realm { get; init; } = "rclonepool";

    public ThrottleOptions Throttle { get; init; } = new();

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
