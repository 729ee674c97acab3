using System.Text.Json;
using Microsoft.AspNetCore.Http;
using RclonePool.Core.Pool;
using RclonePool.Server.Api.Json;

namespace RclonePool.Server.Api.Endpoints;

/// <summary>The JSON form of <c>POST files</c>: a file on the server's own disk (<see cref="LocalSources"/>), stored by an <c>upload</c> job (202).</summary>
internal static class LocalUploads
{
    public static async Task<IResult> StartAsync(HttpContext http, PoolApiContext api, bool overwrite)
    {
        var request = await ApiRequest.ReadJsonAsync(http.Request, ApiJsonContext.Default.LocalUploadRequest, http.RequestAborted);
        var target = ApiRequest.Path(request.RemotePath, "remote_path");
        var local = LocalSources.Allow(api.RequirePool().Config, request.LocalPath, "local_path");
        var job = api.Jobs.Start(PoolApiContext.Caller(http), "upload", "bytes", async (job, ct) =>
        {
            await using var source = new FileStream(local, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            job.SetTotal(source.Length);
            var entry = await api.Files.PutAsync(target, source, source.Length, new PutOptions { Overwrite = overwrite, Progress = job }, ct);
            api.Summary.Invalidate();
            var stored = await FileEndpoints.DescribeAsync(api, entry.Path, ct);
            return JsonSerializer.SerializeToElement(stored, ApiJsonContext.Default.FileJson);
        });
        return JobEndpoints.Accepted(http, job);
    }
}
