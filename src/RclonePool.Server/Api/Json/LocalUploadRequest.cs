namespace RclonePool.Server.Api.Json;

/// <summary><c>POST files</c> as JSON: a file on the server's disk (under <c>api_upload_roots</c>) to store at <see cref="RemotePath"/>.</summary>
internal sealed record LocalUploadRequest(string? LocalPath, string? RemotePath);
