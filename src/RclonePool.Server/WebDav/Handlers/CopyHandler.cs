namespace RclonePool.Server.WebDav.Handlers;

/// <summary>COPY: a file, or a collection with Depth 0 (itself and its dead properties) or infinity (the whole subtree).</summary>
internal sealed class CopyHandler : IMethodHandler
{
    public Task HandleAsync(DavContext context) => CopyMoveOperation.RunAsync(context, move: false);
}
