namespace RclonePool.Server.Api.Json;

/// <summary>What a verify job found: the scope, what it checked and every problem (empty when the scope is intact).</summary>
internal sealed record VerifyResultJson(string Scope, bool Quick, bool Intact, int Files, int Chunks, long BytesRead, IReadOnlyList<DamageJson> Damage);
