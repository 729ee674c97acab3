namespace RclonePool.Server.Api.Json;

/// <summary>A file or directory in a listing; <see cref="Type"/> is <c>file</c> or <c>directory</c>.</summary>
internal sealed record EntryJson(string Path, string Name, string Type, long Size, DateTime Modified);
