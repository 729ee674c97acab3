using Microsoft.AspNetCore.Http;
using RclonePool.Core.Errors;

namespace RclonePool.Server.WebDav;

/// <summary>The one mapping from the pool's failure classes to HTTP statuses.</summary>
internal static class PoolErrors
{
    public static int StatusOf(PoolErrorKind kind) => kind switch
    {
        PoolErrorKind.BadInput => StatusCodes.Status400BadRequest,
        PoolErrorKind.NotFound => StatusCodes.Status404NotFound,
        PoolErrorKind.Conflict => StatusCodes.Status409Conflict,
        PoolErrorKind.NoSpace => StatusCodes.Status507InsufficientStorage,
        PoolErrorKind.Transient => StatusCodes.Status503ServiceUnavailable,
        PoolErrorKind.Environment => StatusCodes.Status503ServiceUnavailable,
        PoolErrorKind.Remote => StatusCodes.Status502BadGateway,
        _ => StatusCodes.Status500InternalServerError, // Integrity, and anything new
    };
}
