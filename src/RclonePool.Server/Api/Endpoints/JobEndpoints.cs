using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RclonePool.Core.Jobs;
using RclonePool.Core.Paths;
using RclonePool.Server.Api.Jobs;
using RclonePool.Server.Api.Json;

namespace RclonePool.Server.Api.Endpoints;

/// <summary>
/// The long work: <c>POST verify</c>, <c>POST repair</c>, <c>POST rebalance</c> each start a job (202); <c>GET jobs</c>,
/// <c>GET jobs/{id}</c> follow the caller's jobs and <c>DELETE jobs/{id}</c> cancels one. Another user's job is 404.
/// </summary>
internal static class JobEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/verify", VerifyAsync)
            .WithName("Verify").WithSummary("Verify the pool, or one file or directory, as a job")
            .Accepts<VerifyRequest>("application/json")
            .Produces<JobAcceptedJson>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/repair", RepairAsync)
            .WithName("Repair").WithSummary("Repair a file from a good copy on the server's disk (under api_upload_roots), as a job")
            .Accepts<RepairRequest>("application/json")
            .Produces<JobAcceptedJson>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/rebalance", RebalanceAsync)
            .WithName("Rebalance").WithSummary("Move chunks until the remotes are evenly used (dry_run plans only), as a job")
            .Accepts<RebalanceRequest>("application/json")
            .Produces<JobAcceptedJson>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/jobs", List)
            .WithName("ListJobs").WithSummary("The caller's jobs, newest first")
            .Produces<IReadOnlyList<JobJson>>();
        api.MapGet("/jobs/{id}", Get)
            .WithName("GetJob").WithSummary("A job's state, progress, result or error")
            .Produces<JobJson>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/jobs/{id}", Cancel)
            .WithName("CancelJob").WithSummary("Cancel a job (202), or forget a finished one (204)")
            .Produces<JobJson>(StatusCodes.Status202Accepted).Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>202 with the job's id, state and href, and its URL as Location.</summary>
    public static IResult Accepted(HttpContext http, ApiJob job)
    {
        var href = Href(http, job);
        http.Response.Headers.Location = href;
        return TypedResults.Json(new JobAcceptedJson(job.Id, job.Kind, job.State.Name(), href), ApiJsonContext.Default.JobAcceptedJson, statusCode: StatusCodes.Status202Accepted);
    }

    public static JobJson Json(ApiJob job) => new(
        job.Id,
        job.Kind,
        job.State.Name(),
        new JobProgressJson(job.Done, job.Total, job.Unit),
        job.StartedAt?.UtcDateTime,
        job.FinishedAt?.UtcDateTime,
        job.Result,
        job.Error);

    private static async Task<IResult> VerifyAsync(HttpContext http, PoolApiContext api)
    {
        var request = HasBody(http.Request) ? await ApiRequest.ReadJsonAsync(http.Request, ApiJsonContext.Default.VerifyRequest, http.RequestAborted) : new VerifyRequest();
        var scope = request.FilePath is null ? PoolPath.Root : ApiRequest.Path(request.FilePath, "file_path");
        api.RequirePool();
        if (await api.Files.StatAsync(scope, http.RequestAborted) is null)
        {
            throw Core.Errors.PoolErrors.NotFound(scope);
        }

        var verifier = http.RequestServices.GetRequiredService<Verifier>();
        var job = api.Jobs.Start(PoolApiContext.Caller(http), "verify", "bytes", async (job, ct) =>
        {
            var report = await verifier.VerifyAsync(new VerifyOptions { Scope = scope, Quick = request.Quick, Progress = job }, ct);
            return JsonSerializer.SerializeToElement(ApiMapping.Verify(report), ApiJsonContext.Default.VerifyResultJson);
        });
        return Accepted(http, job);
    }

    private static async Task<IResult> RepairAsync(HttpContext http, PoolApiContext api)
    {
        var request = await ApiRequest.ReadJsonAsync(http.Request, ApiJsonContext.Default.RepairRequest, http.RequestAborted);
        var path = ApiRequest.Path(request.FilePath, "file_path");
        var pool = api.RequirePool();
        var source = LocalSources.Allow(pool.Config, request.LocalSource, "local_source");
        var entry = await api.Files.StatAsync(path, http.RequestAborted) ?? throw Core.Errors.PoolErrors.NotFound(path);
        if (entry.IsDirectory)
        {
            throw Core.Errors.PoolErrors.IsDirectory(path);
        }

        var restorer = http.RequestServices.GetRequiredService<Restorer>();
        var job = api.Jobs.Start(PoolApiContext.Caller(http), "repair", "bytes", async (job, ct) =>
        {
            job.SetTotal(entry.Size);
            var report = await restorer.RepairAsync(path, source, null, job, ct);
            return JsonSerializer.SerializeToElement(ApiMapping.Repair(report), ApiJsonContext.Default.RepairResultJson);
        });
        return Accepted(http, job);
    }

    private static async Task<IResult> RebalanceAsync(HttpContext http, PoolApiContext api)
    {
        var request = HasBody(http.Request) ? await ApiRequest.ReadJsonAsync(http.Request, ApiJsonContext.Default.RebalanceRequest, http.RequestAborted) : new RebalanceRequest();
        if (!double.IsFinite(request.TargetVariance) || request.TargetVariance < 0)
        {
            throw ApiProblems.BadRequest($"'target_variance' is {request.TargetVariance}; give a percentage of 0 or more, such as 5.0.");
        }

        if (request.MaxBytes is <= 0)
        {
            throw ApiProblems.BadRequest($"'max_bytes' is {request.MaxBytes}; give a positive number of bytes, or null for no limit.");
        }

        api.RequirePool();
        var rebalancer = http.RequestServices.GetRequiredService<Rebalancer>();
        var job = api.Jobs.Start(PoolApiContext.Caller(http), "rebalance", "bytes", async (job, ct) =>
        {
            var report = await rebalancer.RebalanceAsync(
                new RebalanceOptions { DryRun = request.DryRun, TargetVariance = request.TargetVariance, MaxBytes = request.MaxBytes, Progress = job }, ct);
            api.Summary.Invalidate();
            return JsonSerializer.SerializeToElement(ApiMapping.Rebalance(report), ApiJsonContext.Default.RebalanceResultJson);
        });
        return Accepted(http, job);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<IReadOnlyList<JobJson>> List(HttpContext http, PoolApiContext api) =>
        TypedResults.Json<IReadOnlyList<JobJson>>([.. api.Jobs.Of(PoolApiContext.Caller(http)).Select(Json)], ApiJsonContext.Default.IReadOnlyListJobJson);

    private static Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<JobJson> Get(HttpContext http, PoolApiContext api, string id) =>
        TypedResults.Json(Json(Find(http, api, id)), ApiJsonContext.Default.JobJson);

    private static IResult Cancel(HttpContext http, PoolApiContext api, string id)
    {
        var job = Find(http, api, id);
        if (JobRegistry.Cancel(job))
        {
            return TypedResults.Json(Json(job), ApiJsonContext.Default.JobJson, statusCode: StatusCodes.Status202Accepted);
        }

        api.Jobs.Forget(job);
        return TypedResults.NoContent();
    }

    private static ApiJob Find(HttpContext http, PoolApiContext api, string id) =>
        api.Jobs.Find(id, PoolApiContext.Caller(http)) ?? throw ApiProblems.NotFound($"There is no job '{id}' of yours; GET jobs lists them (finished jobs are forgotten after a while).");

    private static bool HasBody(HttpRequest request) => request.ContentLength is > 0 || (request.ContentLength is null && request.ContentType is not null);

    private static string Href(HttpContext http, ApiJob job)
    {
        var prefix = http.GetEndpoint()?.Metadata.GetMetadata<ApiPrefix>()?.Value ?? string.Empty;
        return $"{http.Request.PathBase}{prefix}/jobs/{job.Id}";
    }
}
