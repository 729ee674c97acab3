using System.Text.Json.Serialization;
using RclonePool.Core.Jobs;

namespace RclonePool.Cli.Output.Json;

/// <summary>One orphan chunk object of <c>orphans --json</c>.</summary>
internal sealed record OrphanJson(
    string Remote,
    string Object,
    long Size,
    DateTimeOffset Modified,
    bool OldEnough,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Note)
{
    public static OrphanJson From(OrphanObject orphan) =>
        new(orphan.Remote, orphan.Object, orphan.Size, orphan.Modified, orphan.OldEnough, orphan.Note);
}
