namespace RclonePool.Server.WebDav.Handlers;

/// <summary>MOVE: renames a file or a whole collection by rewriting manifests; the source's locks are dropped.</summary>
internal sealed class MoveHandler : IMethodHandler
{
    public Task HandleAsync(DavContext context) => CopyMoveOperation.RunAsync(context, move: true);
}
