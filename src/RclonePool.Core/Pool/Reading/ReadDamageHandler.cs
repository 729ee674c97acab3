using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;

namespace RclonePool.Core.Pool.Reading;

/// <summary>Called when a read finds a stored copy or shard missing or damaged and reads around it.</summary>
internal delegate void ReadDamageHandler(Manifest manifest, ChunkEntry chunk, ChunkLocation location, PoolException damage);
