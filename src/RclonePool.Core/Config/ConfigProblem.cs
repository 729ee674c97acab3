namespace RclonePool.Core.Config;

/// <summary>One thing wrong with a config: the key and a whole sentence naming it, its value and what is allowed.</summary>
public sealed record ConfigProblem(string Key, string Message)
{
    public override string ToString() => Message;
}
