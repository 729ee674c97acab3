using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;

namespace RclonePool.Server.WebDav.Http;

/// <summary>
/// Tells a client that waits for "100 Continue" (<c>Expect: 100-continue</c>) to send its small body at once, before the
/// request's checks run, so that the body travels while they do instead of after them: Kestrel sends the interim
/// response when the body is first read, and this starts that read (without consuming anything). A client that sends a
/// small file (curl sends this header with every upload) otherwise waits for a whole round trip after the server's
/// checks; with 8 clients PUTting small files that round trip is about a fifth of each PUT (docs/benchmarks.md, put8).
/// </summary>
/// <remarks>
/// Only bodies of a known length up to <see cref="MaxBytes"/>: a request refused by a check (409, 412, 423, 507) then
/// costs its client at most that much sent for nothing, where 100-continue exists to spare large ones. The body is read
/// through <see cref="Body"/>, whose first read waits for the started one (its bytes are given back unconsumed, see
/// <see cref="ReadyAsync"/>); disposing does the same when the request ends without reading the body (a failed read is
/// then ignored: the request's own handling reports what went wrong).
/// </remarks>
internal sealed class EarlyContinue : IAsyncDisposable
{
    /// <summary>The largest body asked for before the checks.</summary>
    public const long MaxBytes = 1024 * 1024;

    private readonly PipeReader _reader;
    private readonly ValueTask<ReadResult> _read;
    private bool _settled;

    private EarlyContinue(HttpRequest request, ValueTask<ReadResult> read)
    {
        _reader = request.BodyReader;
        _read = read;
        Body = new ReadyFirstStream(this, request.Body);
    }

    /// <summary>The request body, read only after the started read completed.</summary>
    public Stream Body { get; }

    /// <summary>Starts reading the body when the client waits for "100 Continue" and the body is small; else null.</summary>
    public static EarlyContinue? TryStart(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is not (> 0 and <= MaxBytes) || !ExpectsContinue(request.Headers.Expect))
        {
            return null;
        }

        return new EarlyContinue(request, request.BodyReader.ReadAsync(cancellationToken));
    }

    /// <summary>Waits for the started read and leaves what it read in place, for the next reader of the body.</summary>
    public async ValueTask ReadyAsync()
    {
        if (_settled)
        {
            return;
        }

        _settled = true;
        var result = await _read;
        _reader.AdvanceTo(result.Buffer.Start);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ReadyAsync();
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException or InvalidOperationException)
        {
            // The client went away or sent a bad body: the request already ends with its own outcome.
        }
    }

    private static bool ExpectsContinue(Microsoft.Extensions.Primitives.StringValues expect)
    {
        foreach (var value in expect)
        {
            if (value is not null && value.Contains("100-continue", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The body stream of the request, each read after <see cref="ReadyAsync"/>.</summary>
    private sealed class ReadyFirstStream(EarlyContinue early, Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await early.ReadyAsync();
            return await inner.ReadAsync(buffer, cancellationToken);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) =>
            throw new NotSupportedException("The request body is read asynchronously.");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
