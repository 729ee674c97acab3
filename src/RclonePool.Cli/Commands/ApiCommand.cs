using System.CommandLine;
using RclonePool.Cli.Output;
using RclonePool.Server;

namespace RclonePool.Cli.Commands;

/// <summary><c>rclonepool api [--host H] [--port P]</c>: the REST API alone (no WebDAV) until Ctrl-C.</summary>
internal static class ApiCommand
{
    public static Command Create()
    {
        var options = new ServerCommandOptions("api_server_host", "api_server_port", 8081);
        var command = new Command("api", CommandText.WithExamples(
            "Serve the REST API at /api/v1 (files, content with Range, uploads, remotes, stats, health, and jobs for verify, repair and rebalance; docs/api.md) until Ctrl-C. " +
            "Its OpenAPI document is at /api/v1/openapi.json and a reference page at /api/v1/docs. " +
            "Authentication is serve's (--auth, webdav_auth_method: basic, X-API-Key or bearer); beyond 127.0.0.1 it is required. GET /healthz and /readyz answer without it.",
            "rclonepool api",
            "rclonepool key create ci && rclonepool api --host 0.0.0.0 --auth api_key",
            "curl -H \"X-API-Key: $KEY\" http://127.0.0.1:8081/api/v1/status"));
        options.AddTo(command);
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, async (context, token) =>
        {
            await ServeCommand.RunAsync(context, options.Read(parse), ServerRole.Api, token);
            return ExitCodes.Success;
        }, ct));
        return command;
    }
}
