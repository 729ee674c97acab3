namespace RclonePool.Core.Plugins;

/// <summary>A plugin file or plugin class that did not load, and why (a sentence that says what to do).</summary>
public sealed record PluginProblem(string Path, string Message);
