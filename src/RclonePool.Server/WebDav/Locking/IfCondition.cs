namespace RclonePool.Server.WebDav.Locking;

/// <summary>One condition of an If-header list: a state token or an entity tag, possibly negated with <c>Not</c>.</summary>
internal sealed record IfCondition(bool Not, string? StateToken, string? EntityTag);
