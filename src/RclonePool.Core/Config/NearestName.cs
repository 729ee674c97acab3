using System.Text;

namespace RclonePool.Core.Config;

/// <summary>
/// Finds the name a user probably meant, for "did you mean" hints: the same name in another spelling
/// ("chunk-size", "ChunkSize"), a near miss by edit distance ("chunk_szie"), or the one name that has the
/// input as a whole word ("redundancy" → "redundancy_mode").
/// </summary>
internal static class NearestName
{
    public static string? Find(string input, IEnumerable<string> candidates)
    {
        var names = candidates.ToList();
        var wanted = Normalise(input);
        if (wanted.Length == 0)
        {
            return null;
        }

        var same = names.FirstOrDefault(n => Normalise(n) == wanted);
        if (same is not null)
        {
            return same;
        }

        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var name in names)
        {
            var distance = Distance(wanted, Normalise(name));
            if (distance < bestDistance)
            {
                best = name;
                bestDistance = distance;
            }
        }

        if (best is not null && bestDistance <= Allowed(Math.Max(wanted.Length, best.Length)))
        {
            return best;
        }

        var containing = names.Where(n => ("_" + Normalise(n) + "_").Contains("_" + wanted + "_", StringComparison.Ordinal)).Take(2).ToList();
        return containing.Count == 1 ? containing[0] : null;
    }

    /// <summary>Edits allowed for a near miss: one for short names, up to three for long ones.</summary>
    private static int Allowed(int length) => length <= 4 ? 1 : length <= 9 ? 2 : 3;

    /// <summary>Lower snake case: "ChunkSize", "chunk-size" and " chunk size " all become "chunk_size".</summary>
    private static string Normalise(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        var trimmed = name.Trim();
        for (var i = 0; i < trimmed.Length; i++)
        {
            var c = trimmed[i];
            if (c is '-' or ' ' or '.')
            {
                c = '_';
            }

            if (char.IsUpper(c) && i > 0 && char.IsLower(trimmed[i - 1]))
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
