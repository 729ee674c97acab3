using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using RclonePool.Core.Pool;

namespace RclonePool.Server.WebDav.Handlers;

/// <summary>GET on a collection: a minimal HTML index, so a browser can walk the pool.</summary>
internal static class CollectionPage
{
    public static async Task WriteAsync(DavContext context, PoolEntry directory, bool head)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/html; charset=utf-8";
        if (head)
        {
            return;
        }

        var title = WebUtility.HtmlEncode(directory.Path.Value);
        var page = new StringBuilder(4096);
        page.Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").Append(title)
            .Append("</title></head><body><h1>").Append(title).Append("</h1><ul>\n");
        if (!directory.Path.IsRoot)
        {
            page.Append("<li><a href=\"").Append(context.Href(directory.Path.Parent, true)).Append("\">../</a></li>\n");
        }

        await foreach (var child in context.Pool.ListAsync(directory.Path, recursive: false, context.Aborted))
        {
            var name = WebUtility.HtmlEncode(child.Path.Name) + (child.IsDirectory ? "/" : string.Empty);
            page.Append("<li><a href=\"").Append(WebUtility.HtmlEncode(context.Href(child.Path, child.IsDirectory))).Append("\">")
                .Append(name).Append("</a>");
            if (!child.IsDirectory)
            {
                page.Append(' ').Append(child.Size.ToString(CultureInfo.InvariantCulture)).Append(" bytes");
            }

            page.Append("</li>\n");
            if (page.Length > 32 * 1024)
            {
                await response.WriteAsync(page.ToString(), context.Aborted);
                page.Clear();
            }
        }

        page.Append("</ul></body></html>\n");
        await response.WriteAsync(page.ToString(), context.Aborted);
    }
}
