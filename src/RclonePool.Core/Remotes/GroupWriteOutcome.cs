namespace RclonePool.Core.Remotes;

/// <summary>
/// What became of one object written to several directories at once (<see cref="GroupWriter.WriteToEachAsync"/>): whether
/// it went out inside a pack, and each directory's failure, in the order the directories were given.
/// </summary>
public sealed class GroupWriteOutcome(bool packed, Exception?[]? errors)
{
    /// <summary>True when the copies went out inside a pack (the same pack in each directory): none can be removed alone.</summary>
    public bool Packed { get; } = packed;

    /// <summary>True when every directory holds its copy.</summary>
    public bool AllWritten => errors is null;

    /// <summary>Why the copy in the directory at <paramref name="index"/> was not written; null when it was.</summary>
    public Exception? ErrorAt(int index) => errors?[index];
}
