namespace RclonePool.Cli.Output.Json;

/// <summary>An entry <c>rebuild</c> could not restore, and why.</summary>
internal sealed record RebuildFailureJson(string Path, string Error);
