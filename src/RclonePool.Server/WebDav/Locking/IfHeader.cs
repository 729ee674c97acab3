using Microsoft.AspNetCore.Http;

namespace RclonePool.Server.WebDav.Locking;

/// <summary>The WebDAV If header (RFC 4918 section 10.4): untagged lists, or lists tagged with a resource.</summary>
internal sealed class IfHeader
{
    private const int MaxLists = 64;

    private IfHeader(IReadOnlyList<IfList> lists) => Lists = lists;

    public IReadOnlyList<IfList> Lists { get; }

    /// <summary>Lock tokens the client submits: every state token not under <c>Not</c>.</summary>
    public IEnumerable<string> SubmittedTokens =>
        Lists.SelectMany(l => l.Conditions).Where(c => !c.Not && c.StateToken is not null).Select(c => c.StateToken!);

    /// <summary>Parses the header; a malformed one gets 400.</summary>
    public static IfHeader Parse(string value)
    {
        var lists = new List<IfList>();
        string? tag = null;
        bool? tagged = null;
        var i = 0;
        while (true)
        {
            SkipSpace(value, ref i);
            if (i >= value.Length)
            {
                break;
            }

            if (value[i] == '<')
            {
                if (tagged == false)
                {
                    throw Malformed("a resource tag follows an untagged list");
                }

                tagged = true;
                tag = ReadUntil(value, ref i, '>');
                SkipSpace(value, ref i);
                if (i >= value.Length || value[i] != '(')
                {
                    throw Malformed("a resource tag is not followed by a list");
                }

                continue;
            }

            if (value[i] != '(')
            {
                throw Malformed($"unexpected '{value[i]}' at position {i}");
            }

            tagged ??= false;
            lists.Add(new IfList(tag, ReadList(value, ref i)));
            if (lists.Count > MaxLists)
            {
                throw Malformed($"more than {MaxLists} lists");
            }
        }

        if (lists.Count == 0)
        {
            throw Malformed("no list");
        }

        return new IfHeader(lists);
    }

    private static List<IfCondition> ReadList(string value, ref int i)
    {
        i++; // '('
        var conditions = new List<IfCondition>();
        while (true)
        {
            SkipSpace(value, ref i);
            if (i >= value.Length)
            {
                throw Malformed("a list is not closed");
            }

            if (value[i] == ')')
            {
                i++;
                break;
            }

            var not = false;
            if (string.Compare(value, i, "Not", 0, 3, StringComparison.OrdinalIgnoreCase) == 0)
            {
                not = true;
                i += 3;
                SkipSpace(value, ref i);
            }

            if (i < value.Length && value[i] == '<')
            {
                conditions.Add(new IfCondition(not, ReadUntil(value, ref i, '>'), null));
            }
            else if (i < value.Length && value[i] == '[')
            {
                conditions.Add(new IfCondition(not, null, ReadEntityTag(value, ref i)));
            }
            else
            {
                throw Malformed($"a condition must be <state-token> or [entity-tag] (position {i})");
            }
        }

        if (conditions.Count == 0)
        {
            throw Malformed("an empty list");
        }

        return conditions;
    }

    private static string ReadUntil(string value, ref int i, char close)
    {
        var end = value.IndexOf(close, i + 1);
        if (end < 0)
        {
            throw Malformed($"'{value[i]}' is not closed by '{close}'");
        }

        var inner = value[(i + 1)..end].Trim();
        i = end + 1;
        if (inner.Length == 0)
        {
            throw Malformed("an empty <>");
        }

        return inner;
    }

    private static string ReadEntityTag(string value, ref int i)
    {
        var start = i + 1;
        var j = start;
        if (j + 1 < value.Length && value[j] == 'W' && value[j + 1] == '/')
        {
            j += 2;
        }

        if (j >= value.Length || value[j] != '"')
        {
            throw Malformed("an entity tag must be quoted");
        }

        var closeQuote = value.IndexOf('"', j + 1);
        if (closeQuote < 0 || closeQuote + 1 >= value.Length || value[closeQuote + 1] != ']')
        {
            throw Malformed("an entity tag is not closed by '\"]'");
        }

        i = closeQuote + 2;
        return value[start..(closeQuote + 1)];
    }

    private static void SkipSpace(string value, ref int i)
    {
        while (i < value.Length && value[i] is ' ' or '\t' or '\r' or '\n')
        {
            i++;
        }
    }

    private static DavException Malformed(string what) =>
        new(StatusCodes.Status400BadRequest, $"The If header is malformed: {what}.");
}
