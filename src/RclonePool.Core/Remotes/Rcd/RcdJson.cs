using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace RclonePool.Core.Remotes.Rcd;

/// <summary>Request bodies for rc calls. rclone parses a body as JSON only when its Content-Type is exactly <c>application/json</c>.</summary>
internal static class RcdJson
{
    public static ByteArrayContent EmptyObject() => Body([]);

    public static ByteArrayContent Body(JsonObject input)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(input.ToJsonString()));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
