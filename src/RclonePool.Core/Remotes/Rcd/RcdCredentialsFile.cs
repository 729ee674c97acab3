using System.Security.Cryptography;
using System.Text;

namespace RclonePool.Core.Remotes.Rcd;

/// <summary>
/// The daemon's random credentials as an htpasswd file (<c>--rc-htpasswd</c>) with a <c>{SHA}</c> entry, in a private
/// temporary directory (0700, the file 0600) that lives as long as the daemon's owner. Why not <c>--rc-user</c> and
/// <c>--rc-pass</c>: with those rclone checks every request with MD5-crypt (1,000 rounds of MD5, a fifth of its CPU
/// per ranged read, more per small rc call); an <c>{SHA}</c> entry costs one SHA-1. SHA-1 is enough here: the password
/// is 192 random bits, used only on loopback, and the file is readable by us alone. rclone checks the file on every
/// request, so it is written again at each daemon start in case something removed it.
/// </summary>
internal sealed class RcdCredentialsFile : IDisposable
{
    private readonly string _directory;
    private readonly string _line;

    private RcdCredentialsFile(string directory, string line)
    {
        _directory = directory;
        _line = line;
        FilePath = Path.Combine(directory, "htpasswd");

        // A server stopped by a signal exits without disposing its pool: remove the file on the way out too.
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    public string FilePath { get; }

    /// <summary>Creates the private directory and writes the file; null when no private file can be made (the caller then passes the credentials another way).</summary>
    public static RcdCredentialsFile? TryCreate(string user, string password)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        // SHA-1 is what the {SHA} htpasswd format is (rclone verifies it); see the remarks above for why it suffices.
#pragma warning disable CA5350
        var digest = SHA1.HashData(Encoding.UTF8.GetBytes(password));
#pragma warning restore CA5350
        string? directory = null;
        try
        {
            directory = Directory.CreateTempSubdirectory("rclonepool-rcd-").FullName;
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var file = new RcdCredentialsFile(directory, $"{user}:{{SHA}}{Convert.ToBase64String(digest)}\n");
            try
            {
                file.Write();
                return file;
            }
            catch
            {
                file.Dispose();
                throw;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(directory);
            return null;
        }
    }

    /// <summary>Writes the file again unless it is there (a daemon that cannot read it refuses every request).</summary>
    public bool EnsureWritten()
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        try
        {
            if (!File.Exists(FilePath))
            {
                Directory.CreateDirectory(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                Write();
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        TryDelete(_directory);
    }

    private void OnProcessExit(object? sender, EventArgs e) => TryDelete(_directory);

    private void Write()
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException();
        }

        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using var stream = new FileStream(FilePath, options);
        stream.Write(Encoding.UTF8.GetBytes(_line));
    }

    private static void TryDelete(string? directory)
    {
        try
        {
            if (directory is not null && Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only a hash of a password no daemon accepts any more is left behind.
        }
    }
}
