using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using RclonePool.Core.Errors;
using RclonePool.Server.Api.Json;

namespace RclonePool.Server.Api;

/// <summary>
/// The REST API's errors as RFC 9457 problem details. Pool failures keep the CLI's sentence as <c>detail</c> and get the
/// status WebDAV gives the same kind (<see cref="PoolErrors"/>); the API's own refusals are built here.
/// </summary>
internal static class ApiProblems
{
    public static ApiException BadRequest(string detail) => new(StatusCodes.Status400BadRequest, detail);

    public static ApiException NotFound(string detail) => new(StatusCodes.Status404NotFound, detail);

    public static ApiException Forbidden(string detail) => new(StatusCodes.Status403Forbidden, detail);

    public static ApiException TooLarge(string detail) => new(StatusCodes.Status413PayloadTooLarge, detail);

    public static ApiException Unsupported(string detail) => new(StatusCodes.Status415UnsupportedMediaType, detail);

    /// <summary>The status and sentence for a failure, or null for one that is not the client's or the pool's (a bug).</summary>
    public static (int Status, string Detail)? Classify(Exception exception) => exception switch
    {
        ApiException api => (api.Status, api.Message),
        PoolException pool => (WebDav.PoolErrors.StatusOf(pool.Kind), pool.Message),
        BadHttpRequestException bad => (bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge
            ? "The request body is larger than the server accepts; send a smaller one."
            : $"The request could not be read: {bad.Message}"),
        JsonException json => (StatusCodes.Status400BadRequest, $"The JSON body is malformed: {json.Message}"),
        _ => ((int, string)?)null,
    };

    /// <summary>A problem details result with the default type and title of <paramref name="status"/>.</summary>
    public static IResult Result(int status, string detail) => TypedResults.Problem(detail: detail, statusCode: status);

    /// <summary>The same problem as a job reports it.</summary>
    public static ProblemJson Json(int status, string detail)
    {
        var problem = new ProblemDetails { Status = status, Detail = detail };
        var result = TypedResults.Problem(problem);
        return new ProblemJson(result.ProblemDetails.Type ?? "about:blank", result.ProblemDetails.Title ?? string.Empty, status, detail);
    }

    /// <summary>Writes a problem as the response, unless the response has already started.</summary>
    public static Task WriteAsync(HttpContext context, int status, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Response.HasStarted ? Task.CompletedTask : Result(status, detail).ExecuteAsync(context);
    }
}
