using RclonePool.Core.IO;
using RclonePool.Core.Remotes.Rclone;

namespace RclonePool.Core.Remotes.Cli;

/// <summary>
/// The stdout of one <c>rclone cat</c>: the bytes already peeked, then the pipe. At the end the exit code is checked,
/// so a process that failed or was killed mid-way raises an error instead of ending the stream early. Cancelling
/// the token the read was opened with, or disposing the stream, kills the process.
/// </summary>
internal sealed class CliReadStream : ReadOnlyStream
{
    private readonly RcloneProcess _process;
    private readonly RcloneCall _call;
    private readonly CancellationToken _openToken;
    private readonly CancellationTokenRegistration _killOnCancel;
    private readonly Action _onDisposed;
    private ReadOnlyMemory<byte> _peeked;
    private bool _ended;
    private bool _disposed;

    public CliReadStream(RcloneProcess process, ReadOnlyMemory<byte> peeked, RcloneCall call, Action onDisposed, CancellationToken openToken)
    {
        _process = process;
        _peeked = peeked;
        _call = call;
        _openToken = openToken;
        _onDisposed = onDisposed;
        _killOnCancel = openToken.Register(static state => ((RcloneProcess)state!).Kill(), process);
    }

    public override bool CanRead => !_disposed;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var taken = TakePeeked(buffer.Span);
        if (taken > 0 || buffer.Length == 0 || _ended)
        {
            return taken;
        }

        int read;
        try
        {
            using (cancellationToken.Register(static state => ((RcloneProcess)state!).Kill(), _process))
            {
                read = await _process.Output.ReadAsync(buffer, cancellationToken);
            }
        }
        catch (IOException e)
        {
            throw Translate(e, cancellationToken);
        }

        if (read == 0)
        {
            ThrowIfCancelled(cancellationToken);
            End(await _process.WaitForExitAsync(CancellationToken.None));
        }

        return read;
    }

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var taken = TakePeeked(buffer);
        if (taken > 0 || buffer.Length == 0 || _ended)
        {
            return taken;
        }

        int read;
        try
        {
            read = _process.Output.Read(buffer);
        }
        catch (IOException e)
        {
            throw Translate(e, CancellationToken.None);
        }

        if (read == 0)
        {
            ThrowIfCancelled(CancellationToken.None);
            End(_process.WaitForExit());
        }

        return read;
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            await _killOnCancel.DisposeAsync();
            await _process.DisposeAsync();
            _onDisposed();
        }

        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _killOnCancel.Dispose();
            _process.Dispose();
            _onDisposed();
        }

        base.Dispose(disposing);
    }

    private int TakePeeked(Span<byte> buffer)
    {
        if (_peeked.IsEmpty)
        {
            return 0;
        }

        var count = Math.Min(buffer.Length, _peeked.Length);
        _peeked.Span[..count].CopyTo(buffer);
        _peeked = _peeked[count..];
        return count;
    }

    private void End(int exitCode)
    {
        _ended = true;
        if (exitCode != 0)
        {
            throw _call.FromExit(exitCode, _process.ErrorLines);
        }
    }

    private void ThrowIfCancelled(CancellationToken readToken)
    {
        readToken.ThrowIfCancellationRequested();
        _openToken.ThrowIfCancellationRequested();
    }

    private Exception Translate(IOException e, CancellationToken readToken)
    {
        if (readToken.IsCancellationRequested || _openToken.IsCancellationRequested)
        {
            return new OperationCanceledException(readToken.IsCancellationRequested ? readToken : _openToken);
        }

        return _call.Unreachable("the transfer broke off: " + e.Message, e);
    }
}
