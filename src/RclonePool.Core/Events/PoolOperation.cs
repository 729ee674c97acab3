namespace RclonePool.Core.Events;

/// <summary>The operations of the pool façade that <see cref="PoolTraffic"/> counts.</summary>
public enum PoolOperation
{
    /// <summary>A file stored (<c>PutAsync</c>).</summary>
    Upload,

    /// <summary>A whole-file read (<c>OpenDownloadAsync</c>).</summary>
    Download,

    /// <summary>A ranged read (<c>OpenReadAsync</c>: seeking, streaming players).</summary>
    Read,

    Delete,

    Move,

    Copy,

    Mkdir,

    /// <summary>Dead properties set or removed.</summary>
    SetProperties,
}
