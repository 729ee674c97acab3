namespace RclonePool.Server.Api.Json;

/// <summary><c>GET files?dir=</c>: one page of a directory listing; <see cref="NextCursor"/> asks for the next.</summary>
internal sealed record ListingJson(string Dir, IReadOnlyList<EntryJson> Entries, string? NextCursor);
