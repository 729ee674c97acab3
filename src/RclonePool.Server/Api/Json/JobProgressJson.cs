namespace RclonePool.Server.Api.Json;

/// <summary>How far a job is: <see cref="Done"/> of <see cref="Total"/> (null when not known beforehand) <see cref="Unit"/>s.</summary>
internal sealed record JobProgressJson(long Done, long? Total, string Unit);
