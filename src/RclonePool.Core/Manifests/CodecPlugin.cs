namespace RclonePool.Core.Manifests;

/// <summary>
/// A plugin the stored bytes of a file need (format 5): its id (<c>TYPE:NAME</c>, as a chunk's <c>codec</c> names it)
/// and the version that wrote them. Reading the file needs that plugin loaded and enabled.
/// </summary>
public sealed record CodecPlugin
{
    /// <summary>"encryption:aes", "compression:lz4", "transformer:xor".</summary>
    public required string Id { get; init; }

    /// <summary>The plugin's own version string when it wrote the file.</summary>
    public required string Version { get; init; }
}
