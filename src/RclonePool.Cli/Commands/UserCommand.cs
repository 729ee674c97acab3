using System.CommandLine;
using RclonePool.Cli.Hosting;
using RclonePool.Cli.Output;
using RclonePool.Core.Errors;
using RclonePool.Server.Auth;

namespace RclonePool.Cli.Commands;

/// <summary><c>rclonepool user add|passwd|remove|list</c>: the users of basic authentication (<c>webdav_users</c>, password hashes only).</summary>
internal static class UserCommand
{
    public static Command Create()
    {
        var command = new Command("user", CommandText.WithExamples(
            "Manage the users of basic authentication. The config keeps a PBKDF2-SHA256 hash of each password (webdav_users), never the password. " +
            "A running 'serve' reads them when it starts.",
            "rclonepool user add alice",
            "printf '%s\\n%s\\n' \"$PW\" \"$PW\" | rclonepool user add alice",
            "rclonepool serve --auth basic"))
        {
            SetPassword("add", "Add a user; asks for the password twice (or reads two lines from standard input).", mustExist: false),
            SetPassword("passwd", "Change a user's password; asks for it twice (or reads two lines from standard input).", mustExist: true),
            Remove(),
            List(),
        };
        return command;
    }

    private static Command SetPassword(string name, string description, bool mustExist)
    {
        var user = new Argument<string>("NAME") { Description = "User name (no ':' or control characters)." };
        var command = new Command(name, description) { user };
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, (context, _) =>
        {
            var userName = parse.GetValue(user)!;
            var exists = context.Config.WebdavUsers.ContainsKey(userName);
            if (mustExist && !exists)
            {
                throw new PoolException(PoolErrorKind.NotFound, $"There is no user '{userName}'; add it with 'rclonepool user add {userName}'.");
            }

            if (!mustExist && exists)
            {
                throw new PoolException(PoolErrorKind.Conflict, $"The user '{userName}' exists already; change the password with 'rclonepool user passwd {userName}'.");
            }

            var hash = PasswordHash.Create(PasswordPrompt.ReadNew(userName));
            ConfigEdit.SetUser(context, userName, hash);
            Console.WriteLine(mustExist ? $"user: password of '{userName}' changed." : $"user: '{userName}' added.");
            if (!mustExist && context.Config.WebdavAuthMethod != "basic")
            {
                Console.WriteLine("user: serve with --auth basic (or set webdav_auth_method to basic) so that the server asks for it.");
            }

            return Task.FromResult(ExitCodes.Success);
        }, ct));
        return command;
    }

    private static Command Remove()
    {
        var user = new Argument<string>("NAME") { Description = "User name." };
        var command = new Command("remove", "Remove a user; the password stops working when 'serve' next starts.") { user };
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, (context, _) =>
        {
            var userName = parse.GetValue(user)!;
            if (!context.Config.WebdavUsers.ContainsKey(userName))
            {
                throw new PoolException(PoolErrorKind.NotFound, $"There is no user '{userName}'; 'rclonepool user list' shows the users.");
            }

            ConfigEdit.SetUser(context, userName, null);
            Console.WriteLine($"user: '{userName}' removed.");
            return Task.FromResult(ExitCodes.Success);
        }, ct));
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List the user names (never their hashes).");
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, (context, _) =>
        {
            foreach (var name in context.Config.WebdavUsers.Keys.Order(StringComparer.Ordinal))
            {
                Console.WriteLine(name);
            }

            return Task.FromResult(ExitCodes.Success);
        }, ct));
        return command;
    }
}
