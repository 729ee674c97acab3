namespace RclonePool.Core.Manifests;

/// <summary>What a manifest describes: a file with chunks, or a directory that exists on its own (possibly empty).</summary>
public enum EntryKind
{
    File,
    Directory,
}
