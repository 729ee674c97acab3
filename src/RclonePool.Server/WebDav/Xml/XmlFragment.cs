using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace RclonePool.Server.WebDav.Xml;

/// <summary>
/// Property values and lock owners are XML fragments (text and elements). They are kept as self-contained strings:
/// every element carries the namespace declarations it needs, so the value reads the same wherever it is written back.
/// </summary>
internal static class XmlFragment
{
    private static readonly XmlWriterSettings FragmentSettings = new()
    {
        ConformanceLevel = ConformanceLevel.Fragment,
        OmitXmlDeclaration = true,
        Indent = false,
        NewLineHandling = NewLineHandling.None,
    };

    private static readonly XmlReaderSettings FragmentReaderSettings = new()
    {
        ConformanceLevel = ConformanceLevel.Fragment,
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
    };

    /// <summary>The content of <paramref name="element"/> (not the element itself) as a self-contained fragment.</summary>
    public static string Serialize(XElement element)
    {
        if (!element.Nodes().Any())
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        using (var writer = XmlWriter.Create(text, FragmentSettings))
        {
            foreach (var node in element.Nodes())
            {
                node.WriteTo(writer);
            }
        }

        return text.ToString();
    }

    /// <summary>Writes a stored fragment as the content of the element being written; a value that is not XML is written as text.</summary>
    public static void Write(XmlWriter writer, string fragment)
    {
        if (fragment.AsSpan().IndexOfAny('<', '&') < 0)
        {
            writer.WriteString(fragment);
            return;
        }

        if (!IsWellFormed(fragment))
        {
            writer.WriteString(fragment);
            return;
        }

        using var reader = XmlReader.Create(new StringReader(fragment), FragmentReaderSettings);
        reader.Read();
        while (!reader.EOF)
        {
            writer.WriteNode(reader, defattr: true);
        }
    }

    private static bool IsWellFormed(string fragment)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader(fragment), FragmentReaderSettings);
            while (reader.Read())
            {
            }

            return true;
        }
        catch (XmlException)
        {
            return false;
        }
    }
}
