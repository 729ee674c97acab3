using RclonePool.Core.Manifests;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Pool.Scanning;

/// <summary>One manifest pack on one remote, as a survey read it: the object and its records.</summary>
public sealed record PackListing(RemoteEntry Entry, IReadOnlyList<PackRecord> Records);
