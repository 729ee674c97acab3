using System.CommandLine;

namespace RclonePool.Cli.Commands;

/// <summary>The options <c>serve</c> and <c>api</c> share: --host, --port, --auth, --insecure-no-auth, --https.</summary>
internal sealed class ServerCommandOptions
{
    public ServerCommandOptions(string hostKey, string portKey, int defaultPort)
    {
        Host = new Option<string?>("--host") { Description = $"Address to listen on (default: the config's {hostKey}, 127.0.0.1). 0.0.0.0 or * listens everywhere." };
        Port = new Option<int?>("--port") { Description = $"Port (default: the config's {portKey}, {defaultPort}; 0 picks a free one)." };
        Auth = new Option<string?>("--auth")
        {
            Description = "Authentication: none, basic (users of 'rclonepool user add'), api_key or bearer (keys of 'rclonepool key create'). Default: the config's webdav_auth_method.",
        };
        Auth.AcceptOnlyFromAmong("none", "basic", "api_key", "bearer");
        InsecureNoAuth = new Option<bool>("--insecure-no-auth")
        {
            Description = "Serve without authentication on an address beyond loopback, which is otherwise refused: anyone who reaches it can read, change and delete every file.",
        };
        Https = new Option<bool>("--https")
        {
            Description = "Serve HTTPS (as enable_https): ssl_cert_file and ssl_key_file, or a self-signed certificate generated once beside the config file. Its SHA-256 fingerprint is printed.",
        };
    }

    public Option<string?> Host { get; }

    public Option<int?> Port { get; }

    public Option<string?> Auth { get; }

    public Option<bool> InsecureNoAuth { get; }

    public Option<bool> Https { get; }

    public void AddTo(Command command)
    {
        command.Options.Add(Host);
        command.Options.Add(Port);
        command.Options.Add(Auth);
        command.Options.Add(InsecureNoAuth);
        command.Options.Add(Https);
    }

    public ServeSettings Read(ParseResult parse) =>
        new(parse.GetValue(Host), parse.GetValue(Port), parse.GetValue(Auth), parse.GetValue(InsecureNoAuth), parse.GetValue(Https));
}
