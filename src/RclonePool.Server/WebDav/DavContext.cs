using Microsoft.AspNetCore.Http;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Server.WebDav.Locking;

namespace RclonePool.Server.WebDav;

/// <summary>One WebDAV request: the HTTP context, its decoded and confined target, and the shared services.</summary>
internal sealed class DavContext
{
    private ILockView? _locks;

    public DavContext(HttpContext http, DavServices services, RequestTarget target)
    {
        Http = http;
        Services = services;
        Target = target;
    }

    public HttpContext Http { get; }

    public HttpRequest Request => Http.Request;

    public HttpResponse Response => Http.Response;

    public DavServices Services { get; }

    public IPoolFileSystem Pool => Services.Pool;

    public RequestTarget Target { get; }

    public PoolPath Path => Target.Path;

    public CancellationToken Aborted => Http.RequestAborted;

    public string Href(PoolPath path, bool collection) => RequestTarget.Href(Services.PathBase, path, collection);

    public ValueTask<PoolEntry?> StatAsync(PoolPath path) => Pool.StatAsync(path, Aborted);

    /// <summary>The locks in force, read once per request (a shared lock table is asked once).</summary>
    public async ValueTask<ILockView> LocksAsync() => _locks ??= await Services.Locks.ViewAsync(Aborted);

    /// <summary>The locks read by <see cref="LocksAsync"/>; only after it.</summary>
    public ILockView Locks => _locks ?? throw new InvalidOperationException("The request's locks are read by LocksAsync first.");

    /// <summary>Resolves a URI or absolute path from a header against this server; null when it names another server.</summary>
    public RequestTarget? ResolveUri(string value) => RequestTarget.ResolveUri(value, Request, Services.PathBase);

    /// <summary>True when the request carries a body (a Content-Length above 0, or chunked transfer coding).</summary>
    public bool HasBody => Request.ContentLength > 0 || (Request.ContentLength is null && Request.Headers.TransferEncoding.Count > 0);
}
