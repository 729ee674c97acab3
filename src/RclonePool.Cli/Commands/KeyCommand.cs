using System.CommandLine;
using RclonePool.Cli.Hosting;
using RclonePool.Cli.Output;
using RclonePool.Core.Errors;
using RclonePool.Server.Auth;

namespace RclonePool.Cli.Commands;

/// <summary><c>rclonepool key create|revoke|list</c>: keys for api_key and bearer authentication (<c>webdav_api_keys</c>, hashes only).</summary>
internal static class KeyCommand
{
    public static Command Create()
    {
        var command = new Command("key", CommandText.WithExamples(
            "Manage the keys of api_key (X-API-Key header) and bearer (Authorization: Bearer) authentication. The config keeps a SHA-256 of each key " +
            "(webdav_api_keys); the key itself is printed once, by 'key create'. A running 'serve' reads them when it starts.",
            "rclonepool key create backup-job",
            "curl -H \"Authorization: Bearer $KEY\" http://127.0.0.1:8080/",
            "rclone lsf \":webdav,url='http://127.0.0.1:8080/',bearer_token='$KEY':\""))
        {
            CreateKey(),
            Revoke(),
            List(),
        };
        return command;
    }

    private static Command CreateKey()
    {
        var name = new Argument<string>("NAME") { Description = "What the key is for (a name to revoke it by)." };
        var command = new Command("create", "Create a key and print it once; only its hash is kept.") { name };
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, (context, _) =>
        {
            var keyName = parse.GetValue(name)!;
            if (context.Config.WebdavApiKeys.ContainsKey(keyName))
            {
                throw new PoolException(PoolErrorKind.Conflict, $"A key named '{keyName}' exists already; revoke it first with 'rclonepool key revoke {keyName}', or choose another name.");
            }

            var key = ApiKey.Generate();
            ConfigEdit.SetApiKey(context, keyName, ApiKey.Hash(key));
            Console.Error.WriteLine($"key: '{keyName}' created; it is shown once, now (store it where the client can read it):");
            Console.WriteLine(key);
            return Task.FromResult(ExitCodes.Success);
        }, ct));
        return command;
    }

    private static Command Revoke()
    {
        var name = new Argument<string>("NAME") { Description = "The key's name." };
        var command = new Command("revoke", "Revoke a key; it stops working when 'serve' next starts.") { name };
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, (context, _) =>
        {
            var keyName = parse.GetValue(name)!;
            if (!context.Config.WebdavApiKeys.ContainsKey(keyName))
            {
                throw new PoolException(PoolErrorKind.NotFound, $"There is no key named '{keyName}'; 'rclonepool key list' shows the names.");
            }

            ConfigEdit.SetApiKey(context, keyName, null);
            Console.WriteLine($"key: '{keyName}' revoked.");
            return Task.FromResult(ExitCodes.Success);
        }, ct));
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List the key names (never the keys or their hashes).");
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, (context, _) =>
        {
            foreach (var keyName in context.Config.WebdavApiKeys.Keys.Order(StringComparer.Ordinal))
            {
                Console.WriteLine(keyName);
            }

            return Task.FromResult(ExitCodes.Success);
        }, ct));
        return command;
    }
}
