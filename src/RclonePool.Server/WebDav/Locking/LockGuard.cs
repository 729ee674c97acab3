using Microsoft.AspNetCore.Http;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;

namespace RclonePool.Server.WebDav.Locking;

/// <summary>
/// Evaluates the If header (412 when no list holds) and checks that the request submits a lock token for every
/// locked resource it changes (423 with <c>lock-token-submitted</c> otherwise), before anything is changed.
/// </summary>
internal static class LockGuard
{
    public static async Task CheckAsync(DavContext context, PoolEntry? target, params LockRequirement[] requirements)
    {
        var header = ParseHeader(context.Request);
        var locks = await context.LocksAsync();
        if (header is not null && !await EvaluateAsync(context, locks, header, target))
        {
            throw new DavException(StatusCodes.Status412PreconditionFailed, "No list of the If header holds for its resource.");
        }

        var submitted = header is null ? [] : header.SubmittedTokens.ToHashSet(StringComparer.Ordinal);
        foreach (var requirement in requirements)
        {
            Require(context, locks, requirement.Path, submitted);
            if (requirement.Subtree)
            {
                foreach (var below in locks.Within(requirement.Path))
                {
                    Require(context, locks, below.Root, submitted);
                }
            }
        }
    }

    /// <summary>The parsed If header, or null when the request has none.</summary>
    public static IfHeader? ParseHeader(HttpRequest request)
    {
        var value = request.Headers["If"];
        return value.Count == 0 || string.IsNullOrWhiteSpace(value.ToString()) ? null : IfHeader.Parse(value.ToString());
    }

    private static void Require(DavContext context, ILockView locks, PoolPath path, HashSet<string> submitted)
    {
        var covering = locks.Covering(path);
        if (covering.Count > 0 && !covering.Any(l => submitted.Contains(l.Token)))
        {
            throw new DavException(
                StatusCodes.Status423Locked,
                $"{path} is locked and the request does not submit the lock token.",
                "lock-token-submitted",
                [context.Href(covering[0].Root, false)]);
        }
    }

    private static async Task<bool> EvaluateAsync(DavContext context, ILockView locks, IfHeader header, PoolEntry? target)
    {
        var entries = new Dictionary<PoolPath, PoolEntry?> { [context.Path] = target };
        foreach (var list in header.Lists)
        {
            PoolPath path;
            if (list.ResourceTag is null)
            {
                path = context.Path;
            }
            else if (context.ResolveUri(list.ResourceTag) is { } tagged)
            {
                path = tagged.Path;
            }
            else
            {
                continue; // a tag naming another server never matches
            }

            if (!entries.TryGetValue(path, out var entry))
            {
                entry = await context.StatAsync(path);
                entries[path] = entry;
            }

            if (list.Conditions.All(c => Holds(locks, c, path, entry) != c.Not))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Holds(ILockView locks, IfCondition condition, PoolPath path, PoolEntry? entry)
    {
        if (condition.StateToken is { } token)
        {
            return locks.Find(token) is { } held && held.Covers(path);
        }

        return entry is not null && SameTag(condition.EntityTag!, entry.ETag);
    }

    private static bool SameTag(string a, string b) =>
        string.Equals(a.StartsWith("W/", StringComparison.Ordinal) ? a[2..] : a, b.StartsWith("W/", StringComparison.Ordinal) ? b[2..] : b, StringComparison.Ordinal);
}
