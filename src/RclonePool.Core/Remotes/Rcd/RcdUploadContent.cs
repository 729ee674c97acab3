using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.ExceptionServices;
using System.Text;
using RclonePool.Core.Errors;

namespace RclonePool.Core.Remotes.Rcd;

/// <summary>
/// The body of <c>operations/uploadfile</c>: one multipart/form-data part whose bytes are copied from the source
/// stream as the request is sent, never buffered whole. rclone keeps only the base name of the part's file name
/// (given as RFC 2231 <c>filename*</c>, so any Unicode name survives); the directory goes in the <c>remote</c> parameter.
/// </summary>
internal sealed class RcdUploadContent : HttpContent
{
    private const int BufferSize = 256 * 1024;

    private readonly Stream _source;
    private readonly long _length;
    private readonly string _target;
    private readonly Progress _progress;
    private readonly byte[] _head;
    private readonly byte[] _tail;

    public RcdUploadContent(Stream source, long length, string fileName, string target, Progress progress)
    {
        _source = source;
        _length = length;
        _target = target;
        _progress = progress;
        var boundary = "rclonepool-" + Guid.NewGuid().ToString("N");
        _head = Encoding.ASCII.GetBytes(
            $"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename*=UTF-8''{Uri.EscapeDataString(fileName)}\r\n" +
            "Content-Type: application/octet-stream\r\n\r\n");
        _tail = Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n");
        var type = new MediaTypeHeaderValue("multipart/form-data");
        type.Parameters.Add(new NameValueHeaderValue("boundary", boundary));
        Headers.ContentType = type;
    }

    /// <summary>A whole multipart/form-data body of small objects, one part each (for several objects in one call).</summary>
    public static (byte[] Body, MediaTypeHeaderValue ContentType) Multipart(IReadOnlyList<NamedBytes> objects)
    {
        var boundary = "rclonepool-" + Guid.NewGuid().ToString("N");
        using var body = new MemoryStream();
        foreach (var item in objects)
        {
            body.Write(Encoding.ASCII.GetBytes(
                $"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename*=UTF-8''{Uri.EscapeDataString(item.Name)}\r\n" +
                "Content-Type: application/octet-stream\r\n\r\n"));
            body.Write(item.Bytes.Span);
            body.Write("\r\n"u8);
        }

        body.Write(Encoding.ASCII.GetBytes($"--{boundary}--\r\n"));
        var type = new MediaTypeHeaderValue("multipart/form-data");
        type.Parameters.Add(new NameValueHeaderValue("boundary", boundary));
        return (body.ToArray(), type);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(_head, cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await _source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _progress.SourceFailure = ExceptionDispatchInfo.Capture(e);
                    throw;
                }

                if (read == 0)
                {
                    break;
                }

                if (_length >= 0 && _progress.BytesRead + read > _length)
                {
                    throw _progress.Fail(LengthMismatch(">", _progress.BytesRead + read));
                }

                _progress.BytesRead += read;
                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (_length >= 0 && _progress.BytesRead != _length)
        {
            throw _progress.Fail(LengthMismatch("only", _progress.BytesRead));
        }

        await stream.WriteAsync(_tail, cancellationToken);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length >= 0 ? _head.Length + _length + _tail.Length : 0;
        return _length >= 0;
    }

    private PoolException LengthMismatch(string how, long bytes) => new(
        PoolErrorKind.BadInput,
        $"The content written to {_target} holds {how} {bytes} bytes, not the {_length} announced; the upload was abandoned.");

    /// <summary>Shared by every attempt of one upload: how far the source was read, and why it failed if it did.</summary>
    internal sealed class Progress
    {
        public long BytesRead { get; set; }

        /// <summary>The source's own failure (or a length mismatch), rethrown as is instead of as a transport error.</summary>
        public ExceptionDispatchInfo? SourceFailure { get; set; }

        public PoolException Fail(PoolException failure)
        {
            SourceFailure = ExceptionDispatchInfo.Capture(failure);
            return failure;
        }
    }
}
