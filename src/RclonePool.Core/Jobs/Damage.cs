using RclonePool.Core.Integrity;
namespace RclonePool.Core.Jobs;

/// <summary>
/// One problem verify found: the kind, the file (pool path and file id, when known), the chunk, the remote and
/// object concerned, and one sentence of detail.
/// </summary>
public sealed record Damage
{
    public required DamageKind Kind { get; init; }

    public string? Path { get; init; }

    public string? FileId { get; init; }

    public int? Chunk { get; init; }

    public string? Remote { get; init; }

    public string? Object { get; init; }

    public required string Detail { get; init; }

    public override string ToString()
    {
        var where = string.Join(" ", new[]
        {
            Path ?? (FileId is null ? null : $"file id {FileId}"),
            Chunk is { } c ? $"chunk {c}" : null,
            Remote is null ? null : $"on {Remote}",
            Object,
        }.Where(s => s is not null));
        return where.Length == 0 ? $"{Kind.Name()}: {Detail}" : $"{Kind.Name()}: {where} - {Detail}";
    }
}
