using Microsoft.AspNetCore.Http;

namespace RclonePool.Server.Transport;

/// <summary>
/// Ends a response that failed after it started (a damaged block met part-way through a GET, a remote lost while
/// streaming). The status line and the bytes already written, all of them good, are flushed; then
/// <see cref="ResponseCutShortException"/> is thrown out of the request, so that the server ends it its own way: an
/// HTTP/1.x connection is closed once those bytes are sent, with no final chunk (the client sees a body short of its
/// Content-Length, a clear and retryable failure), an HTTP/2 stream is reset. Aborting the connection instead would
/// reset it at once, and the client's kernel drops what it has received but not yet read, the status line included.
/// </summary>
internal static class MidResponseFailure
{
    /// <summary>How long flushing the bytes already written may take before the response is ended regardless.</summary>
    private static readonly TimeSpan FlushLimit = TimeSpan.FromSeconds(5);

    public static async Task<Exception> EndAsync(HttpContext http, string reason)
    {
        if (!http.RequestAborted.IsCancellationRequested)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
            limit.CancelAfter(FlushLimit);
            try
            {
                await http.Response.BodyWriter.FlushAsync(limit.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or IOException)
            {
                // The client went away, the time is up, or the response cannot be written any more: end it as it is.
            }
        }

        return new ResponseCutShortException($"{http.Request.Method} {http.Request.Path}: {reason}");
    }
}
