namespace RclonePool.Server.WebDav.Handlers;

/// <summary>Serves one HTTP method over the pool. Refusals are thrown as <see cref="DavException"/> before anything changes.</summary>
internal interface IMethodHandler
{
    Task HandleAsync(DavContext context);
}
