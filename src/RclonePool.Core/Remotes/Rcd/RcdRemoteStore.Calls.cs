using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using RclonePool.Core.Errors;
using RclonePool.Core.Remotes.Rclone;

namespace RclonePool.Core.Remotes.Rcd;

public sealed partial class RcdRemoteStore
{
    private const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>
    /// Posts one rc call and returns its reply, bounded by <see cref="RcloneOptions.CallTimeout"/>. Null when the
    /// call answered "not found" and <paramref name="notFoundIsNull"/>; every other failure is thrown, classified.
    /// </summary>
    private async Task<T?> CallAsync<T>(
        string method,
        JsonObject input,
        RcloneCall call,
        JsonTypeInfo<T> reply,
        bool notFoundIsNull,
        Func<bool, bool> mayResend,
        CancellationToken cancellationToken)
        where T : class
    {
        var limit = _daemon.Options.CallTimeout;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            using var response = await SendAsync(
                endpoint => new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint.BaseAddress, method)) { Content = RcdJson.Body(input) },
                call,
                mayResend,
                HttpCompletionOption.ResponseContentRead,
                timeout.Token);
            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                try
                {
                    return JsonSerializer.Deserialize(body, reply) ?? throw new JsonException("null reply");
                }
                catch (JsonException e)
                {
                    throw call.Unreachable($"rclone's reply to {method} could not be read ({e.Message})", e);
                }
            }

            var failure = Failure(response.StatusCode, body, call);
            if (notFoundIsNull && failure.Kind == PoolErrorKind.NotFound)
            {
                return null;
            }

            throw failure;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw call.TimedOut(limit);
        }
    }

    /// <summary>
    /// Sends a request built for the current daemon. When the daemon cannot be reached (no response at all), it is
    /// restarted if it died or hangs, and the request is built and sent once more if <paramref name="mayResend"/>
    /// allows it; its argument tells whether the daemon was replaced (else the failure was a stale pooled connection).
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(
        Func<RcdEndpoint, HttpRequestMessage> build,
        RcloneCall call,
        Func<bool, bool> mayResend,
        HttpCompletionOption completion,
        CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var endpoint = await _daemon.GetEndpointAsync(cancellationToken);
            using var request = build(endpoint);
            try
            {
                return await _daemon.Http.SendAsync(request, completion, cancellationToken);
            }
            catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested && attempt == 0)
            {
                var replaced = await _daemon.RecoverAsync(endpoint, cancellationToken);
                if (!mayResend(replaced))
                {
                    throw call.Unreachable(e.Message, e);
                }

                RcloneLog.Resending(_logger, call.Operation, replaced, e.Message);
            }
            catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw call.Unreachable(e.Message, e);
            }
        }
    }

    /// <summary>Idempotent calls are sent again after any connection failure.</summary>
    private static bool Always(bool replaced) => true;

    /// <summary>Calls that must not run twice are sent again only to a new daemon (the old one cannot have done them).</summary>
    private static bool OnlyToNewDaemon(bool replaced) => replaced;

    private static async Task ThrowIfFailedAsync(HttpResponseMessage response, RcloneCall call, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await ReadErrorBodyAsync(response, cancellationToken);
        throw Failure(response.StatusCode, body, call);
    }

    private static PoolException Failure(HttpStatusCode status, byte[] body, RcloneCall call)
    {
        if (status == HttpStatusCode.Unauthorized)
        {
            return new PoolException(
                PoolErrorKind.Environment,
                $"rclone rcd refused rclonepool's credentials while trying to {call.Operation} {call.Target}. Another program may hold the daemon's port; set rclone_daemon_port to 0.");
        }

        string message;
        try
        {
            var error = JsonSerializer.Deserialize(body, RcloneJsonContext.Default.ErrorReply);
            message = error?.Error ?? Encoding.UTF8.GetString(body);
        }
        catch (JsonException)
        {
            message = Encoding.UTF8.GetString(body);
        }

        return call.Failed(message.Length > 0 ? message : $"HTTP {(int)status} {status}", (int)status);
    }

    private static async Task<byte[]> ReadErrorBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[MaxErrorBodyBytes];
            var filled = 0;
            int read;
            while (filled < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken)) > 0)
            {
                filled += read;
            }

            return buffer[..filled];
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return Encoding.UTF8.GetBytes($"HTTP {(int)response.StatusCode} {response.StatusCode} (the error body was cut off)");
        }
    }
}
