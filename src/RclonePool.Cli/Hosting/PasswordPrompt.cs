using System.Text;
using RclonePool.Core.Errors;

namespace RclonePool.Cli.Hosting;

/// <summary>
/// Reads a new password twice: on a terminal it asks without echo; otherwise it reads two lines from standard input
/// (so scripts can pipe <c>printf 'pw\npw\n'</c>). Refuses an empty password or two that differ.
/// </summary>
internal static class PasswordPrompt
{
    public static string ReadNew(string user)
    {
        string first;
        string second;
        if (Console.IsInputRedirected)
        {
            first = Console.In.ReadLine() ?? throw NoPassword(user);
            second = Console.In.ReadLine() ?? throw new PoolException(PoolErrorKind.BadInput,
                "Standard input gave the password once; give it twice, one line each (the second confirms the first).");
        }
        else
        {
            first = ReadHidden($"New password for '{user}': ");
            second = ReadHidden("The same password again: ");
        }

        if (first.Length == 0)
        {
            throw NoPassword(user);
        }

        if (!string.Equals(first, second, StringComparison.Ordinal))
        {
            throw new PoolException(PoolErrorKind.BadInput, "The two passwords differ; nothing was changed. Run the command again.");
        }

        return first;
    }

    private static PoolException NoPassword(string user) => new(PoolErrorKind.BadInput,
        $"No password was given for '{user}'; type one (it is not shown), or pipe it twice on standard input, one line each.");

    private static string ReadHidden(string prompt)
    {
        Console.Error.Write(prompt);
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0)
                {
                    text.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }

        Console.Error.WriteLine();
        return text.ToString();
    }
}
