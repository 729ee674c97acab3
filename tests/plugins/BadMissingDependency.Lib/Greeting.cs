namespace BadMissingDependency.Lib;

/// <summary>A dependency that the test leaves out of plugins_dir.</summary>
public sealed class Greeting
{
    public string Text { get; } = "hello";
}
