namespace RclonePool.Server.WebDav.Locking;

/// <summary>One parenthesised list of an If header, with the resource tag it applies to (null: the request URI).</summary>
internal sealed record IfList(string? ResourceTag, IReadOnlyList<IfCondition> Conditions);
