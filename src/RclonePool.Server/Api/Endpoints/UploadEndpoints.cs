using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using RclonePool.Core.Errors;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Server.Api.Json;

namespace RclonePool.Server.Api.Endpoints;

/// <summary>
/// <c>POST files</c>: a <c>multipart/form-data</c> upload (fields <c>remote_path</c>, then <c>file</c>) streamed into
/// the pool as it arrives, never held whole (201 with the file's metadata); or the JSON form
/// <c>{"local_path","remote_path"}</c>, which reads a file on the server's disk under <c>api_upload_roots</c> as a job (202).
/// </summary>
internal static class UploadEndpoints
{
    private const int MaxFieldBytes = 16 * 1024;

    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/files", UploadAsync)
            .WithName("UploadFile").WithSummary("Upload a file: multipart/form-data (remote_path, file), or JSON {local_path, remote_path} as a job")
            .Accepts<LocalUploadRequest>("application/json", "multipart/form-data")
            .Produces<FileJson>(StatusCodes.Status201Created)
            .Produces<JobAcceptedJson>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status507InsufficientStorage);

    private static async Task<IResult> UploadAsync(HttpContext http, PoolApiContext api, string? overwrite)
    {
        var replace = ApiRequest.Flag(overwrite, "overwrite", otherwise: true);
        if (ApiRequest.IsJson(http.Request.ContentType))
        {
            return await LocalUploads.StartAsync(http, api, replace);
        }

        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var media) ||
            !media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw ApiProblems.Unsupported(
                $"Send the file as multipart/form-data (fields remote_path, then file), or JSON {{\"local_path\", \"remote_path\"}}; the Content-Type was '{http.Request.ContentType ?? "none"}'.");
        }

        var boundary = HeaderUtilities.RemoveQuotes(media.Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 200)
        {
            throw ApiProblems.BadRequest("The multipart/form-data Content-Type has no usable boundary.");
        }

        var reader = new MultipartReader(boundary, http.Request.Body) { BodyLengthLimit = null };
        string? remotePath = null;
        PoolEntry? stored = null;
        while (await reader.ReadNextSectionAsync(http.RequestAborted) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) ||
                !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
            {
                throw ApiProblems.BadRequest("A part of the multipart body has no 'Content-Disposition: form-data' header.");
            }

            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
            switch (name)
            {
                case "remote_path" when stored is null:
                    remotePath = await ReadFieldAsync(section, http.RequestAborted);
                    break;
                case "file" when stored is not null:
                    throw ApiProblems.BadRequest("The body has more than one 'file' part; upload one file per request.");
                case "file" when remotePath is null:
                    throw ApiProblems.BadRequest("The 'file' part came before 'remote_path'; send remote_path first, so the file can be streamed straight into the pool.");
                case "file":
                    var path = ApiRequest.Path(remotePath, "remote_path");
                    if (path.IsRoot)
                    {
                        throw PoolErrors.IsDirectory(path);
                    }

                    stored = await api.Files.PutAsync(path, section.Body, -1, new PutOptions { Overwrite = replace }, http.RequestAborted);
                    break;
                default:
                    throw ApiProblems.BadRequest($"The multipart body has an unknown part '{name}'; send only remote_path and file.");
            }
        }

        if (stored is null)
        {
            throw ApiProblems.BadRequest(remotePath is null
                ? "The multipart body has neither 'remote_path' nor 'file'; send both, remote_path first."
                : "The multipart body has no 'file' part; add the file after remote_path.");
        }

        api.Summary.Invalidate();
        var created = await FileEndpoints.DescribeAsync(api, stored.Path, http.RequestAborted);
        http.Response.Headers.Location = http.Request.PathBase + ContentHref(http, stored.Path);
        return TypedResults.Json(created, ApiJsonContext.Default.FileJson, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>The API's URL of a file's content.</summary>
    private static string ContentHref(HttpContext http, PoolPath path) =>
        (http.GetEndpoint()?.Metadata.GetMetadata<ApiPrefix>()?.Value ?? string.Empty) + "/content" + WebDav.RequestTarget.Href(string.Empty, path, collection: false);

    private static async Task<string> ReadFieldAsync(MultipartSection section, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxFieldBytes + 1];
        var total = 0;
        int read;
        while ((read = await section.Body.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
            if (total > MaxFieldBytes)
            {
                throw ApiProblems.BadRequest($"The 'remote_path' part is longer than {MaxFieldBytes} bytes; give a pool path.");
            }
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, total);
        }
        catch (DecoderFallbackException)
        {
            throw ApiProblems.BadRequest("The 'remote_path' part is not valid UTF-8.");
        }
    }
}
