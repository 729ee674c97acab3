using System.Security.Cryptography;
using RclonePool.Core.IO;

namespace RclonePool.Core.Integrity;

/// <summary>
/// Reads a stored copy of a chunk on its way to another remote: every byte that passes is checked against the manifest
/// (<see cref="CopyContentCheck"/>) and hashed with the hash the destination remote can report, so the copy can then be
/// checked where it landed by asking that remote for its hash instead of reading it back. The source stream stays the
/// caller's to dispose.
/// </summary>
public sealed class CheckedCopyStream : ReadOnlyStream
{
    private readonly Stream _source;
    private readonly CopyContentCheck _check;
    private readonly IncrementalHash _sent;

    /// <param name="hashType">The destination's hash, in rclone's names: md5, sha1 or sha256 (<see cref="IsSupported"/>).</param>
    public CheckedCopyStream(Stream source, CopyContentCheck check, string hashType)
    {
        _source = source;
        _check = check;
        _sent = IncrementalHash.CreateHash(AlgorithmOf(hashType));
    }

    /// <summary>The hash types of rclone this stream can compute, best first.</summary>
    public static IReadOnlyList<string> Supported { get; } = ["sha256", "sha1", "md5"];

    public static bool IsSupported(string hashType) => Supported.Contains(hashType, StringComparer.Ordinal);

    /// <summary>The hash of every byte read so far, in lowercase hex (call once, at the end, before disposing).</summary>
    public string SentHash() => Convert.ToHexStringLower(_sent.GetHashAndReset());

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _source.ReadAsync(buffer, cancellationToken);
        _check.Append(buffer.Span[..read]);
        _sent.AppendData(buffer.Span[..read]);
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sent.Dispose();
        }

        base.Dispose(disposing);
    }

    private static HashAlgorithmName AlgorithmOf(string hashType) => hashType switch
    {
        "md5" => HashAlgorithmName.MD5,
        "sha1" => HashAlgorithmName.SHA1,
        "sha256" => HashAlgorithmName.SHA256,
        _ => throw new ArgumentOutOfRangeException(nameof(hashType), hashType, "not a hash rclonepool computes"),
    };
}
