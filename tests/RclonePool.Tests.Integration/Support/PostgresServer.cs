using System.Diagnostics;
using Npgsql;

namespace RclonePool.Tests.Integration.Support;

/// <summary>
/// A real PostgreSQL server for the tests, started once for the test assembly: <c>initdb</c> in a temporary directory,
/// <c>pg_ctl start</c> listening only on a Unix socket in that directory (no TCP port), stopped and deleted at the end.
/// initdb refuses to run as root, so as root the server runs as <c>nobody</c>, owning the directory. Without PostgreSQL it
/// fails, saying what to install; it never skips.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private string? _root;
    private string? _pgCtl;
    private string? _runAs;
    private int _databases;

    /// <summary>The directory of the server's socket (the Host of a connection string).</summary>
    public string SocketDirectory => Path.Combine(_root ?? throw new InvalidOperationException("The server is not started."), "socket");

    private string DataDirectory => Path.Combine(_root!, "data");

    public async ValueTask InitializeAsync()
    {
        var bin = FindBin();
        _pgCtl = Path.Combine(bin, "pg_ctl");
        _root = Path.Combine(Path.GetTempPath(), $"rclonepool-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(SocketDirectory);
        if (Environment.UserName == "root")
        {
            _runAs = "nobody";
            await RunAsync("chown", ["-R", "nobody", _root]);
        }

        await RunAsync(Path.Combine(bin, "initdb"), ["-D", DataDirectory, "-U", "postgres", "--auth", "trust", "--encoding", "UTF8", "--locale", "C", "--no-sync"], asServer: true);
        await RunAsync(
            _pgCtl,
            ["-D", DataDirectory, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60", "-o", $"-k {SocketDirectory} -c listen_addresses='' -c fsync=off -c max_connections=200", "start"],
            asServer: true);
    }

    /// <summary>A connection string to a new, empty database of its own (what one test, or one pool, gets).</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"t{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}"[..24];
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        return ConnectionString(name);
    }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = SocketDirectory, Username = "postgres", Database = database, Pooling = true }.ConnectionString;

    public async ValueTask DisposeAsync()
    {
        if (_root is null)
        {
            return;
        }

        try
        {
            NpgsqlConnection.ClearAllPools();
            if (_pgCtl is not null && Directory.Exists(DataDirectory))
            {
                await RunAsync(_pgCtl, ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], asServer: true, check: false);
            }
        }
        finally
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>The directory of initdb and pg_ctl: on PATH, else Debian's /usr/lib/postgresql/VERSION/bin (newest first).</summary>
    private static string FindBin()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
        {
            if (File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")))
            {
                return Path.GetDirectoryName(new FileInfo(Path.Combine(dir, "initdb")).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.Combine(dir, "initdb"))!;
            }
        }

        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0).FirstOrDefault()
            : null;
        if (debian is null)
        {
            Assert.Fail("PostgreSQL is not installed (no initdb and pg_ctl on PATH or under /usr/lib/postgresql/*/bin). Run ./test.sh (it installs it), or: apt-get install postgresql");
        }

        return debian!;
    }

    private async Task RunAsync(string program, string[] arguments, bool asServer = false, bool check = true)
    {
        var (file, args) = asServer && _runAs is not null ? ("runuser", (string[])["-u", _runAs, "--", program, .. arguments]) : (program, arguments);
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _root! };
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (check && process.ExitCode != 0)
        {
            var log = Path.Combine(_root!, "server.log");
            Assert.Fail($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await stderr}{await stdout}{(File.Exists(log) ? await File.ReadAllTextAsync(log) : string.Empty)}");
        }
    }
}
