using RclonePool.Core.IO;
using RclonePool.Core.Remotes.Rclone;

namespace RclonePool.Core.Remotes.Rcd;

/// <summary>
/// The body of a ranged GET from the rc file server, limited to the bytes asked for. A transfer that breaks off
/// raises a transient error (never a silently short read). Cancelling the token the read was opened with, or disposing
/// the stream, aborts the HTTP request.
/// </summary>
internal sealed class RcdReadStream : ReadOnlyStream
{
    private readonly HttpResponseMessage _response;
    private readonly Stream _body;
    private readonly RcloneCall _call;
    private readonly CancellationToken _openToken;
    private readonly CancellationTokenRegistration _abortOnCancel;
    private long _skip;
    private long _remaining;
    private bool _disposed;

    /// <param name="skip">Bytes to drop first (the server ignored the Range header and sent the object from its start).</param>
    /// <param name="limit">Bytes to deliver at most; -1 for all.</param>
    public RcdReadStream(HttpResponseMessage response, Stream body, long skip, long limit, RcloneCall call, CancellationToken openToken)
    {
        _response = response;
        _body = body;
        _skip = skip;
        _remaining = limit;
        _call = call;
        _openToken = openToken;
        _abortOnCancel = openToken.Register(static state => ((HttpResponseMessage)state!).Dispose(), response);
    }

    public override bool CanRead => !_disposed;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _openToken.ThrowIfCancellationRequested();
        if (_remaining == 0 || buffer.Length == 0)
        {
            return 0;
        }

        try
        {
            while (_skip > 0)
            {
                var skipped = await _body.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _skip)], cancellationToken);
                if (skipped == 0)
                {
                    ThrowIfAborted(0);
                    return 0;
                }

                _skip -= skipped;
            }

            var read = await _body.ReadAsync(_remaining > 0 && _remaining < buffer.Length ? buffer[..(int)_remaining] : buffer, cancellationToken);
            ThrowIfAborted(read);
            if (_remaining > 0)
            {
                _remaining -= read;
            }

            return read;
        }
        catch (Exception e) when (e is IOException or HttpRequestException or ObjectDisposedException)
        {
            throw Translate(e, cancellationToken);
        }
    }

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _openToken.ThrowIfCancellationRequested();
        if (_remaining == 0 || buffer.Length == 0)
        {
            return 0;
        }

        try
        {
            while (_skip > 0)
            {
                var skipped = _body.Read(buffer[..(int)Math.Min(buffer.Length, _skip)]);
                if (skipped == 0)
                {
                    ThrowIfAborted(0);
                    return 0;
                }

                _skip -= skipped;
            }

            var read = _body.Read(_remaining > 0 && _remaining < buffer.Length ? buffer[..(int)_remaining] : buffer);
            ThrowIfAborted(read);
            if (_remaining > 0)
            {
                _remaining -= read;
            }

            return read;
        }
        catch (Exception e) when (e is IOException or HttpRequestException or ObjectDisposedException)
        {
            throw Translate(e, CancellationToken.None);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _abortOnCancel.Dispose();
            _body.Dispose();
            _response.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// A response disposed because the open token was cancelled reads as a clean end: that must not pass for the end
    /// of the data.
    /// </summary>
    private void ThrowIfAborted(int read)
    {
        if (read == 0)
        {
            _openToken.ThrowIfCancellationRequested();
        }
    }

    private Exception Translate(Exception e, CancellationToken readToken)
    {
        if (readToken.IsCancellationRequested)
        {
            return new OperationCanceledException(readToken);
        }

        if (_openToken.IsCancellationRequested)
        {
            return new OperationCanceledException(_openToken);
        }

        return e is ObjectDisposedException && _disposed ? e : _call.Unreachable("the transfer broke off: " + e.Message, e);
    }
}
