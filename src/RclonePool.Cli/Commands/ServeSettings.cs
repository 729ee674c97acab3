namespace RclonePool.Cli.Commands;

/// <summary>What <c>serve</c>'s options ask for; null leaves the config's value.</summary>
/// <param name="Host">--host, else webdav_host.</param>
/// <param name="Port">--port, else webdav_port.</param>
/// <param name="Auth">--auth, else webdav_auth_method.</param>
/// <param name="InsecureNoAuth">--insecure-no-auth: no authentication beyond loopback is accepted.</param>
/// <param name="Https">--https: serve HTTPS even when enable_https is false.</param>
internal sealed record ServeSettings(string? Host, int? Port, string? Auth, bool InsecureNoAuth, bool Https = false);
