using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RclonePool.Server;

namespace RclonePool.Tests.Integration.Api;

/// <summary>The OpenAPI document covers every route; the docs page needs nothing from the internet; serve mounts the API beside WebDAV.</summary>
public sealed partial class ApiHostingTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private ApiServer Api => fixture.Api;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_openapi_document_has_every_mapped_route_and_method()
    {
        var document = await ApiServer.JsonOf(await Api.Client.GetAsync("openapi.json", Ct));
        var paths = document["paths"]!.AsObject();
        var routes = Api.Server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/v1/", StringComparison.Ordinal))
            .Where(e => !e.RoutePattern.RawText!.EndsWith("/openapi.json", StringComparison.Ordinal) && !e.RoutePattern.RawText.Contains("/docs", StringComparison.Ordinal))
            .ToList();
        Assert.True(routes.Count >= 17, $"only {routes.Count} routes");
        foreach (var route in routes)
        {
            var path = route.RoutePattern.RawText!.Replace("{**path}", "{path}", StringComparison.Ordinal);
            Assert.True(paths.ContainsKey(path), $"{path} is not in the OpenAPI document");
            foreach (var method in route.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods)
            {
                Assert.True(paths[path]!.AsObject().ContainsKey(method.ToLowerInvariant()), $"{method} {path} is not in the OpenAPI document");
            }
        }

        Assert.Equal("rclonepool REST API", (string?)document["info"]!["title"]);
        var status = document["components"]!["schemas"]!["StatusJson"]!["properties"]!.AsObject();
        Assert.True(status.ContainsKey("uptime_seconds"), "schemas use the wire's snake_case names");
    }

    [Fact]
    public async Task The_docs_page_and_its_script_come_from_the_process_not_a_cdn()
    {
        using var page = await Api.Client.GetAsync("docs/", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync(Ct);
        var sources = SourceAttribute().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(sources);
        Assert.DoesNotContain("://", html, StringComparison.Ordinal);
        foreach (var source in sources)
        {
            using var script = await Api.Client.GetAsync("docs/" + source, Ct);
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
            Assert.Contains("javascript", script.Content.Headers.ContentType!.MediaType!, StringComparison.Ordinal);
        }

        using var bundle = await Api.Client.GetAsync("docs/scalar.js", Ct);
        Assert.True((await bundle.Content.ReadAsByteArrayAsync(Ct)).Length > 500_000, "the whole Scalar bundle is embedded");
    }

    [Fact]
    public async Task Serve_mounts_the_api_under_the_reserved_prefix_and_keeps_webdav_out_of_it()
    {
        await using var serve = await PoolServer.StartAsync(Api.Pool.Pool, new ServerOptions { Host = "127.0.0.1", Port = 0 }, cancellationToken: Ct);
        using var client = new HttpClient { BaseAddress = serve.Url };
        using var status = await client.GetAsync("_rclonepool/api/v1/status", Ct);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.NotNull(JsonNode.Parse(await status.Content.ReadAsStringAsync(Ct))!["pool"]);

        using var put = await client.PutAsync("_rclonepool/sneaky.txt", new StringContent("x"), Ct);
        await ApiServer.ProblemAsync(put, 404);
        Assert.Null(await Api.Pool.Pool.StatAsync(Core.Paths.PoolPath.Parse("/_rclonepool/sneaky.txt"), Ct));

        using var dav = await client.PutAsync("davfile.txt", new StringContent("dav"), Ct);
        Assert.Equal(HttpStatusCode.Created, dav.StatusCode);
        using var viaApi = await client.GetAsync("_rclonepool/api/v1/content/davfile.txt", Ct);
        Assert.Equal("dav", await viaApi.Content.ReadAsStringAsync(Ct));

        using var apiServerPath = await Api.Client.GetAsync("/", Ct);
        await ApiServer.ProblemAsync(apiServerPath, 404);
    }

    [GeneratedRegex("""src="([^"]+)"|href="([^"]+\.js)""")]
    private static partial Regex SourceAttribute();
}
