namespace RclonePool.Server.WebDav.Http;

/// <summary>The Depth header's values (RFC 4918 section 10.2).</summary>
internal enum Depth
{
    Zero,
    One,
    Infinity,
}
