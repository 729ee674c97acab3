namespace RclonePool.Server.WebDav;

/// <summary>
/// Ends a WebDAV request early with a status and, where RFC 4918 names one, a precondition or postcondition element
/// (sent as <c>&lt;D:error&gt;&lt;D:name&gt;hrefs&lt;/D:name&gt;&lt;/D:error&gt;</c>). Thrown before the pool is changed.
/// </summary>
internal sealed class DavException : Exception
{
    public DavException(int status, string message, string? condition = null, IReadOnlyList<string>? hrefs = null)
        : base(message)
    {
        Status = status;
        Condition = condition;
        Hrefs = hrefs ?? [];
    }

    public int Status { get; }

    /// <summary>Local name of the DAV: condition element, such as <c>propfind-finite-depth</c>; null when none applies.</summary>
    public string? Condition { get; }

    /// <summary>Hrefs listed inside the condition element (the locked resources of <c>lock-token-submitted</c>).</summary>
    public IReadOnlyList<string> Hrefs { get; }

    public static DavException BadRequest(string message) => new(400, message);
}
