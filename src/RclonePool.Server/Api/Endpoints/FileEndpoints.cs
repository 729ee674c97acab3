using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RclonePool.Core.Errors;
using RclonePool.Core.Paths;
using RclonePool.Server.Api.Json;

namespace RclonePool.Server.Api.Endpoints;

/// <summary><c>GET files</c> (paged listing), <c>GET files/{path}</c> (metadata), <c>DELETE files/{path}</c>, <c>POST mv</c>, <c>POST directories</c>.</summary>
internal static class FileEndpoints
{
    /// <summary>Entries per page unless <c>limit</c> asks otherwise, and the most one page may hold.</summary>
    public const int DefaultLimit = 1000;
    public const int MaxLimit = 10_000;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/files", ListAsync)
            .WithName("ListFiles").WithSummary("List a directory, one page at a time")
            .Produces<ListingJson>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/files/{**path}", MetadataAsync)
            .WithName("GetFile").WithSummary("A file's or directory's metadata: hashes, chunks, their locations, health")
            .Produces<FileJson>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/files/{**path}", DeleteAsync)
            .WithName("DeleteFile").WithSummary("Delete a file, or a directory (recursive=true for a non-empty one)")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/mv", MoveAsync)
            .WithName("Move").WithSummary("Rename a file or directory (manifests only; no data moves)")
            .Accepts<MoveRequest>("application/json")
            .Produces<FileJson>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/directories", MkdirAsync)
            .WithName("CreateDirectory").WithSummary("Create a directory")
            .Accepts<DirectoryRequest>("application/json")
            .Produces<FileJson>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> ListAsync(HttpContext http, PoolApiContext api, string? dir, string? recursive, string? limit, string? cursor)
    {
        var directory = string.IsNullOrEmpty(dir) ? PoolPath.Root : ApiRequest.Path(dir, "dir");
        var deep = ApiRequest.Flag(recursive, "recursive");
        var size = ApiRequest.Integer(limit, "limit", DefaultLimit, 1, MaxLimit);
        var page = await ListingPage<Core.Pool.PoolEntry>.ReadAsync(api.Files.ListAsync(directory, deep, http.RequestAborted), e => e.Path.Value, cursor, size, http.RequestAborted);
        return TypedResults.Json(new ListingJson(directory.Value, [.. page.Items.Select(ApiMapping.Entry)], page.NextCursor), ApiJsonContext.Default.ListingJson);
    }

    private static async Task<IResult> MetadataAsync(HttpContext http, PoolApiContext api, string? path) =>
        TypedResults.Json(await DescribeAsync(api, ApiRequest.RoutePath(path), http.RequestAborted), ApiJsonContext.Default.FileJson);

    private static async Task<IResult> DeleteAsync(HttpContext http, PoolApiContext api, string? path, string? recursive)
    {
        var target = ApiRequest.RoutePath(path);
        if (target.IsRoot)
        {
            throw ApiProblems.BadRequest("The pool's root cannot be deleted; delete what is in it instead.");
        }

        _ = await api.Files.StatAsync(target, http.RequestAborted) ?? throw PoolErrors.NotFound(target);
        await api.Files.DeleteAsync(target, ApiRequest.Flag(recursive, "recursive"), http.RequestAborted);
        api.Summary.Invalidate();
        return TypedResults.NoContent();
    }

    private static async Task<IResult> MoveAsync(HttpContext http, PoolApiContext api)
    {
        var request = await ApiRequest.ReadJsonAsync(http.Request, ApiJsonContext.Default.MoveRequest, http.RequestAborted);
        var from = ApiRequest.Path(request.From, "from");
        var to = ApiRequest.Path(request.To, "to");
        if (from.IsRoot || to.IsRoot)
        {
            throw ApiProblems.BadRequest("The pool's root cannot be moved or replaced; name a file or directory below it.");
        }

        await api.Files.MoveAsync(from, to, request.Overwrite, http.RequestAborted);
        api.Summary.Invalidate();
        return TypedResults.Json(await DescribeAsync(api, to, http.RequestAborted), ApiJsonContext.Default.FileJson);
    }

    private static async Task<IResult> MkdirAsync(HttpContext http, PoolApiContext api)
    {
        var request = await ApiRequest.ReadJsonAsync(http.Request, ApiJsonContext.Default.DirectoryRequest, http.RequestAborted);
        var path = ApiRequest.Path(request.Path, "path");
        if (path.IsRoot)
        {
            throw PoolErrors.Exists(path);
        }

        await api.Files.MkdirAsync(path, http.RequestAborted);
        api.Summary.Invalidate();
        var created = await DescribeAsync(api, path, http.RequestAborted);
        return TypedResults.Json(created, ApiJsonContext.Default.FileJson, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>The metadata of an entry: its manifest's chunks and locations when the server serves a pool of remotes.</summary>
    public static async Task<FileJson> DescribeAsync(PoolApiContext api, PoolPath path, CancellationToken cancellationToken)
    {
        var entry = await api.Files.StatAsync(path, cancellationToken) ?? throw PoolErrors.NotFound(path);
        var manifest = api.Pool is { } pool && !entry.IsDirectory ? await pool.GetManifestAsync(path, cancellationToken) : null;
        return ApiMapping.File(entry, manifest, api.Health.FileState(entry.Path.Value, entry.Revision));
    }
}
