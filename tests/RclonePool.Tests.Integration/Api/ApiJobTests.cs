using System.Net;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Api;

/// <summary>Jobs through the API against a real pool: verify, rebalance, JSON-form uploads and repair from api_upload_roots, cancellation.</summary>
public sealed class ApiJobTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private ApiServer Api => fixture.Api;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_verify_job_runs_to_a_result_that_the_caller_can_follow()
    {
        using var up = await Api.UploadAsync("/jobs/v.bin", LocalPool.RandomBytes(700 * 1024, seed: 5));
        using var started = await Api.PostJsonAsync("verify", """{"file_path":"/jobs/v.bin"}""");
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var accepted = await ApiServer.JsonOf(started);
        Assert.Equal("verify", (string?)accepted["kind"]);
        Assert.Equal($"/api/v1/jobs/{accepted["id"]}", (string?)accepted["href"]);
        Assert.Equal((string?)accepted["href"], started.Headers.Location!.ToString());

        var job = await Api.WaitForJobAsync((string)accepted["id"]!);
        Assert.Equal("succeeded", (string?)job["state"]);
        Assert.Equal(700 * 1024, (long)job["progress"]!["done"]!);
        Assert.True((bool)job["result"]!["intact"]!);
        Assert.Equal(3, (int)job["result"]!["chunks"]!);
        Assert.NotNull(job["started_at"]);
        Assert.NotNull(job["finished_at"]);

        var mine = (await ApiServer.JsonOf(await Api.Client.GetAsync("jobs", Ct))).AsArray();
        Assert.Contains(mine, j => (string?)j!["id"] == (string?)accepted["id"]);

        await ApiServer.ProblemAsync(await Api.PostJsonAsync("verify", """{"file_path":"/jobs/none.bin"}"""), 404);
        await ApiServer.ProblemAsync(await Api.PostJsonAsync("verify", """{"file_path":"/../x"}"""), 400);
    }

    [Fact]
    public async Task A_rebalance_dry_run_job_plans_without_moving()
    {
        using var started = await Api.PostJsonAsync("rebalance", """{"dry_run":true,"target_variance":5.0,"max_bytes":null}""");
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var job = await Api.WaitForJobAsync((string)(await ApiServer.JsonOf(started))["id"]!);
        Assert.Equal("succeeded", (string?)job["state"]);
        Assert.True((bool)job["result"]!["dry_run"]!);
        Assert.Equal(0, (int)job["result"]!["moved"]!);

        await ApiServer.ProblemAsync(await Api.PostJsonAsync("rebalance", """{"target_variance":-1}"""), 400);
    }

    [Fact]
    public async Task The_json_upload_form_reads_only_below_api_upload_roots()
    {
        var content = LocalPool.RandomBytes(900 * 1024, seed: 6);
        var local = Path.Combine(Api.UploadRoot, "local.bin");
        await File.WriteAllBytesAsync(local, content, Ct);

        using var started = await Api.PostJsonAsync("files", $$"""{"local_path":"{{local}}","remote_path":"/jobs/local.bin"}""");
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var job = await Api.WaitForJobAsync((string)(await ApiServer.JsonOf(started))["id"]!);
        Assert.Equal("succeeded", (string?)job["state"]);
        Assert.Equal(content.Length, (long)job["progress"]!["total"]!);
        Assert.Equal("/jobs/local.bin", (string?)job["result"]!["path"]);
        using var download = await Api.Client.GetAsync("content/jobs/local.bin", Ct);
        Assert.Equal(content, await download.Content.ReadAsByteArrayAsync(Ct));

        var detail = await ApiServer.ProblemAsync(await Api.PostJsonAsync("files", """{"local_path":"/etc/passwd","remote_path":"/jobs/passwd"}"""), 403);
        Assert.Contains("api_upload_roots", detail);
        var escape = Path.Combine(Api.UploadRoot, "..", "..", "etc", "passwd");
        await ApiServer.ProblemAsync(await Api.PostJsonAsync("files", $$"""{"local_path":"{{escape}}","remote_path":"/jobs/passwd"}"""), 403);
        var link = Path.Combine(Api.UploadRoot, "link");
        File.CreateSymbolicLink(link, "/etc/passwd");
        await ApiServer.ProblemAsync(await Api.PostJsonAsync("files", $$"""{"local_path":"{{link}}","remote_path":"/jobs/passwd"}"""), 403);
        await ApiServer.ProblemAsync(await Api.PostJsonAsync("files", """{"local_path":"relative.bin","remote_path":"/jobs/r"}"""), 400);
        await ApiServer.ProblemAsync(await Api.PostJsonAsync("files", $$"""{"local_path":"{{Path.Combine(Api.UploadRoot, "missing.bin")}}","remote_path":"/jobs/m"}"""), 404);
    }

    [Fact]
    public async Task A_repair_job_rewrites_a_damaged_chunk_from_the_local_copy()
    {
        var content = LocalPool.RandomBytes(600 * 1024, seed: 7);
        var local = Path.Combine(Api.UploadRoot, "good.bin");
        await File.WriteAllBytesAsync(local, content, Ct);
        using var up = await Api.UploadAsync("/jobs/repair.bin", content);
        var metadata = await ApiServer.JsonOf(await Api.Client.GetAsync("files/jobs/repair.bin", Ct));
        var location = metadata["chunks"]![1]!["locations"]![0]!;
        var chunkFile = Path.Combine((string)location["remote"]!, (string)location["object"]!);
        Assert.True(File.Exists(chunkFile), chunkFile);
        File.Delete(chunkFile);

        using var started = await Api.PostJsonAsync("repair", $$"""{"file_path":"/jobs/repair.bin","local_source":"{{local}}"}""");
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var job = await Api.WaitForJobAsync((string)(await ApiServer.JsonOf(started))["id"]!);
        Assert.Equal("succeeded", (string?)job["state"]);
        Assert.Equal(1, (int)job["result"]!["chunks_rewritten"]!);
        using var download = await Api.Client.GetAsync("content/jobs/repair.bin", Ct);
        Assert.Equal(content, await download.Content.ReadAsByteArrayAsync(Ct));

        await ApiServer.ProblemAsync(await Api.PostJsonAsync("repair", """{"file_path":"/jobs/repair.bin","local_source":"/etc/passwd"}"""), 403);
    }

    [Fact]
    public async Task Cancelling_an_upload_job_ends_it_and_leaves_nothing_half_written()
    {
        var local = Path.Combine(Api.UploadRoot, "large.bin");
        await using (var file = File.Create(local))
        {
            var block = LocalPool.RandomBytes(1024 * 1024, seed: 8);
            for (var i = 0; i < 48; i++)
            {
                await file.WriteAsync(block, Ct);
            }
        }

        using var started = await Api.PostJsonAsync("files", $$"""{"local_path":"{{local}}","remote_path":"/jobs/cancelled.bin"}""");
        var id = (string)(await ApiServer.JsonOf(started))["id"]!;
        using var cancel = await Api.Client.DeleteAsync($"jobs/{id}", Ct);
        var job = await Api.WaitForJobAsync(id);
        if (cancel.StatusCode == HttpStatusCode.Accepted)
        {
            Assert.Equal("cancelled", (string?)job["state"]);
            using var absent = await Api.Client.GetAsync("files/jobs/cancelled.bin", Ct);
            await ApiServer.ProblemAsync(absent, 404);
        }
        else
        {
            Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode); // it had finished already: a finished job is forgotten
        }

        using var again = await Api.Client.DeleteAsync($"jobs/{id}", Ct);
        Assert.True(again.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.NotFound);
    }
}
