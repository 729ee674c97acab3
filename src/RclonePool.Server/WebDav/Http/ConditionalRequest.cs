using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using RclonePool.Core.Pool;

namespace RclonePool.Server.WebDav.Http;

/// <summary>The HTTP preconditions of RFC 7232 (If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since, If-Range).</summary>
internal static class ConditionalRequest
{
    /// <summary>
    /// Evaluates the preconditions in the RFC's order against the current entry (null when the target does not exist).
    /// Returns null to proceed, 304 (GET/HEAD only) or 412.
    /// </summary>
    public static int? Evaluate(HttpRequest request, PoolEntry? entry)
    {
        var headers = request.Headers;
        var safe = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        var typed = request.GetTypedHeaders();
        var tag = entry is null ? null : new EntityTagHeaderValue(entry.ETag);

        if (headers.IfMatch.Count > 0)
        {
            if (tag is null || !typed.IfMatch.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(tag, useStrongComparison: true)))
            {
                return StatusCodes.Status412PreconditionFailed;
            }
        }
        else if (entry is not null && typed.IfUnmodifiedSince is { } unmodifiedSince && LastModified(entry) > unmodifiedSince)
        {
            return StatusCodes.Status412PreconditionFailed;
        }

        if (headers.IfNoneMatch.Count > 0)
        {
            if (tag is not null && typed.IfNoneMatch.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(tag, useStrongComparison: false)))
            {
                return safe ? StatusCodes.Status304NotModified : StatusCodes.Status412PreconditionFailed;
            }
        }
        else if (safe && entry is not null && typed.IfModifiedSince is { } modifiedSince && LastModified(entry) <= modifiedSince)
        {
            return StatusCodes.Status304NotModified;
        }

        return null;
    }

    /// <summary>True when a Range header may be honoured: no If-Range, or one that still matches (strong ETag or exact date).</summary>
    public static bool RangeStillValid(HttpRequest request, PoolEntry entry)
    {
        if (request.Headers.IfRange.Count == 0)
        {
            return true;
        }

        var ifRange = request.GetTypedHeaders().IfRange;
        if (ifRange?.EntityTag is { } tag)
        {
            return !tag.IsWeak && tag.Compare(new EntityTagHeaderValue(entry.ETag), useStrongComparison: true);
        }

        return ifRange?.LastModified is { } date && date == LastModified(entry);
    }

    /// <summary>The modification time at HTTP-date precision (whole seconds, UTC).</summary>
    public static DateTimeOffset LastModified(PoolEntry entry)
    {
        var utc = entry.Modified.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }
}
