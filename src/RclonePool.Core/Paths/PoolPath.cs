using System.Diagnostics.CodeAnalysis;
using System.Text;
using RclonePool.Core.Errors;

namespace RclonePool.Core.Paths;

/// <summary>
/// A normalised, confined path inside the pool: always starts with '/', never ends with '/' (except the
/// root), has no empty, '.' or '..' segments, no NUL or control characters and no backslashes.
/// </summary>
public readonly record struct PoolPath : IComparable<PoolPath>
{
    public const int MaxLength = 4096;
    public const int MaxSegmentLength = 255;

    private PoolPath(string value) => Value = value;

    public static PoolPath Root { get; } = new("/");

    public string Value { get; }

    public bool IsRoot => Value == "/";

    /// <summary>The last segment; empty for the root.</summary>
    public string Name => IsRoot ? string.Empty : Value[(Value.LastIndexOf('/') + 1)..];

    /// <summary>The parent directory; the root is its own parent.</summary>
    public PoolPath Parent
    {
        get
        {
            if (IsRoot)
            {
                return this;
            }

            var slash = Value.LastIndexOf('/');
            return slash == 0 ? Root : new PoolPath(Value[..slash]);
        }
    }

    /// <summary>Parses user input. Refuses anything that could escape the pool or is ambiguous.</summary>
    public static PoolPath Parse(string? input)
    {
        if (!TryParse(input, out var path, out var error))
        {
            throw new PoolException(PoolErrorKind.BadInput, error);
        }

        return path;
    }

    public static bool TryParse(string? input, out PoolPath path, out string error)
    {
        if (IsCanonical(input))
        {
            // Already what the loop below would build (every path read back from an index is): kept as it is.
            path = input.Length == 1 ? Root : new PoolPath(input);
            error = string.Empty;
            return true;
        }

        path = Root;
        if (input is null)
        {
            error = "The pool path is missing; give a path such as /backups/file.mkv.";
            return false;
        }

        if (input.Length > MaxLength)
        {
            error = $"The pool path is {input.Length} characters long; at most {MaxLength} are allowed.";
            return false;
        }

        foreach (var c in input)
        {
            if (c == '\0' || char.IsControl(c))
            {
                error = $"The pool path '{Printable(input)}' contains a control character (U+{(int)c:X4}); remove it.";
                return false;
            }

            if (c == '\\')
            {
                error = $"The pool path '{input}' contains a backslash; pool paths use '/' between directories.";
                return false;
            }
        }

        if (!input.IsNormalized(NormalizationForm.FormC))
        {
            input = input.Normalize(NormalizationForm.FormC);
        }

        var builder = new StringBuilder(input.Length + 1);
        foreach (var segment in input.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                error = $"The pool path '{input}' contains '..'; paths cannot leave the pool, write the full path instead.";
                return false;
            }

            if (segment.Length > MaxSegmentLength)
            {
                error = $"The name '{segment[..32]}…' in '{input}' is {segment.Length} characters long; at most {MaxSegmentLength} are allowed.";
                return false;
            }

            if (segment.Trim().Length == 0 && segment.Length > 0 && segment != segment.Trim())
            {
                error = $"The pool path '{input}' has a name made only of spaces; give it a visible name.";
                return false;
            }

            builder.Append('/').Append(segment);
        }

        path = builder.Length == 0 ? Root : new PoolPath(builder.ToString());
        error = string.Empty;
        return true;
    }

    /// <summary>
    /// True when <paramref name="input"/> is ASCII and already normalised ("/", or "/" and names joined by single slashes,
    /// no trailing slash, no "." or "..", no name of spaces only, no control characters or backslashes, within the
    /// lengths): <see cref="TryParse"/> would return it unchanged. One pass and no allocation; anything else (non-ASCII
    /// included, which may need Unicode normalisation) goes through the full parse.
    /// </summary>
    private static bool IsCanonical([NotNullWhen(true)] string? input)
    {
        if (input is null || input.Length is 0 or > MaxLength || input[0] != '/')
        {
            return false;
        }

        if (input.Length == 1)
        {
            return true;
        }

        var start = 1; // the first character of the current name
        for (var i = 1; i <= input.Length; i++)
        {
            var c = i < input.Length ? input[i] : '/';
            if (c == '/')
            {
                var length = i - start;
                if (length is 0 or > MaxSegmentLength
                    || (input[start] == '.' && (length == 1 || (length == 2 && input[start + 1] == '.')))
                    || input.AsSpan(start, length).IndexOfAnyExcept(' ') < 0)
                {
                    return false;
                }

                start = i + 1;
            }
            else if (c is < ' ' or >= '\u007F' or '\\')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Appends one name to this directory path.</summary>
    public PoolPath Combine(string name) => Parse(IsRoot ? "/" + name : Value + "/" + name);

    /// <summary>True when <paramref name="other"/> is this path or lies below it.</summary>
    public bool Contains(PoolPath other) =>
        IsRoot || other.Value == Value || other.Value.StartsWith(Value + "/", StringComparison.Ordinal);

    /// <summary>Rewrites <paramref name="descendant"/> from below this path to below <paramref name="newBase"/>.</summary>
    public PoolPath Rebase(PoolPath descendant, PoolPath newBase)
    {
        if (!Contains(descendant))
        {
            throw new ArgumentException($"{descendant} is not below {this}.", nameof(descendant));
        }

        var rest = descendant.Value.Length == Value.Length ? string.Empty : descendant.Value[(IsRoot ? 0 : Value.Length)..];
        return Parse(newBase.IsRoot ? rest : newBase.Value + rest);
    }

    public int CompareTo(PoolPath other) => string.CompareOrdinal(Value, other.Value);

    public static bool operator <(PoolPath left, PoolPath right) => left.CompareTo(right) < 0;

    public static bool operator <=(PoolPath left, PoolPath right) => left.CompareTo(right) <= 0;

    public static bool operator >(PoolPath left, PoolPath right) => left.CompareTo(right) > 0;

    public static bool operator >=(PoolPath left, PoolPath right) => left.CompareTo(right) >= 0;

    public override string ToString() => Value ?? "/";

    private static string Printable(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            sb.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return sb.ToString();
    }
}
