namespace RclonePool.Core.IO;

/// <summary>
/// A forward-only read stream over another one (<see cref="Inner"/>), which it disposes with itself unless
/// <c>leaveOpen</c>.
/// </summary>
internal abstract class WrappingReadStream(Stream inner, bool leaveOpen) : ReadOnlyStream
{
    protected Stream Inner { get; } = inner ?? throw new ArgumentNullException(nameof(inner));

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen)
        {
            Inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!leaveOpen)
        {
            await Inner.DisposeAsync();
        }

        await base.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
