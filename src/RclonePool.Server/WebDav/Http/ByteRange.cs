namespace RclonePool.Server.WebDav.Http;

/// <summary>A satisfiable byte range of a representation: <see cref="Length"/> bytes from <see cref="Offset"/>.</summary>
internal readonly record struct ByteRange(long Offset, long Length)
{
    public long Last => Offset + Length - 1;

    public string ContentRange(long total) => $"bytes {Offset}-{Last}/{total}";
}
