namespace RclonePool.Core.Remotes.Local;

/// <summary>What <see cref="LocalDirectStore"/> does itself on local remotes (<c>local_direct_reads</c>, <c>local_direct_writes</c>).</summary>
public sealed record LocalDirectOptions(bool Reads = true, bool Writes = true);
