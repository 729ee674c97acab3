namespace RclonePool.Core.Pool.Scanning;

/// <summary>
/// A deleted entry as a survey found it: the newest tombstone of <paramref name="FileId"/> on any listed remote, and
/// whether some listed remote still holds a revision it hides (<paramref name="Hides"/>); compaction keeps it while it does.
/// </summary>
public sealed record SurveyedTombstone(string FileId, long Revision, bool Hides);
