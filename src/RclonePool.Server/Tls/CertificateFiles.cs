using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RclonePool.Core.Errors;

namespace RclonePool.Server.Tls;

/// <summary>
/// The certificate and key files a server presents, watched: at most once per <see cref="CheckInterval"/> a new
/// connection looks at the files' size and modification time, and when they changed it loads them again, so that a
/// renewed certificate (certbot, an ACME client, a copy) is used without a restart. Files that fail to load are
/// logged and the previous certificate stays in use.
/// </summary>
public sealed class CertificateFiles
{
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private ServerCertificate _current;
    private (DateTime, long, DateTime, long) _stamp;
    private DateTimeOffset _nextCheck;

    private CertificateFiles(string certificatePath, string keyPath, ServerCertificate current, (DateTime, long, DateTime, long) stamp, TimeProvider time, ILogger log)
    {
        CertificatePath = certificatePath;
        KeyPath = keyPath;
        _current = current;
        _stamp = stamp;
        _time = time;
        _log = log;
        _nextCheck = time.GetUtcNow() + CheckInterval;
    }

    public static TimeSpan CheckInterval { get; } = TimeSpan.FromSeconds(1);

    public string CertificatePath { get; }

    public string KeyPath { get; }

    /// <summary>The certificate in use now (checking the files first when the interval has passed).</summary>
    public ServerCertificate Current
    {
        get
        {
            var now = _time.GetUtcNow();
            if (now < _nextCheck)
            {
                return _current;
            }

            lock (_gate)
            {
                if (now >= _nextCheck)
                {
                    _nextCheck = now + CheckInterval;
                    Refresh(now);
                }

                return _current;
            }
        }
    }

    /// <summary>Loads the files now; a <see cref="PoolException"/> naming the file when they cannot be served.</summary>
    public static CertificateFiles Open(string certificatePath, string keyPath, TimeProvider? time = null, ILoggerFactory? loggerFactory = null)
    {
        time ??= TimeProvider.System;
        var stamp = Stamp(certificatePath, keyPath);
        var certificate = ServerCertificate.Load(certificatePath, keyPath, time.GetUtcNow());
        var log = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("RclonePool.Server.Tls");
        return new CertificateFiles(certificatePath, keyPath, certificate, stamp, time, log);
    }

    internal void LogServing() => TlsLog.Serving(_log, _current.Leaf.Subject, _current.Leaf.NotAfter.ToUniversalTime(), _current.Fingerprint);

    private void Refresh(DateTimeOffset now)
    {
        (DateTime, long, DateTime, long) stamp;
        try
        {
            stamp = Stamp(CertificatePath, KeyPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return; // mid-replacement; look again at the next check
        }

        if (stamp == _stamp)
        {
            return;
        }

        try
        {
            var loaded = ServerCertificate.Load(CertificatePath, KeyPath, now);
            _current = loaded;
            _stamp = stamp;
            TlsLog.Reloaded(_log, loaded.Leaf.Subject, loaded.Fingerprint);
        }
        catch (PoolException e)
        {
            // A certificate written before its key: the next change (the key) triggers another attempt.
            _stamp = stamp;
            TlsLog.ReloadFailed(_log, e.Message);
        }
    }

    private static (DateTime, long, DateTime, long) Stamp(string certificatePath, string keyPath)
    {
        var certificate = new FileInfo(certificatePath);
        var key = new FileInfo(keyPath);
        return (certificate.Exists ? certificate.LastWriteTimeUtc : default, certificate.Exists ? certificate.Length : -1,
            key.Exists ? key.LastWriteTimeUtc : default, key.Exists ? key.Length : -1);
    }
}
