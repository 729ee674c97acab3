using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace RclonePool.Server.Transport;

/// <summary>Gives Kestrel's transport <see cref="LargeBlockMemoryPool"/>s (registered in the server's services).</summary>
internal sealed class LargeBlockMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool();
}
