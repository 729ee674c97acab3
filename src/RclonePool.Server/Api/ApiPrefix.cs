namespace RclonePool.Server.Api;

/// <summary>Endpoint metadata: the prefix the API is mounted under, for the links it hands out (job hrefs, Location).</summary>
internal sealed record ApiPrefix(string Value);
