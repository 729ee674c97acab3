using System.Xml;
using System.Xml.Linq;

namespace RclonePool.Server.WebDav.Xml;

/// <summary>
/// A WebDAV property name (namespace URI and local name). Dead properties are stored in the pool under the Clark-notation
/// key <c>{namespace}local</c> (the empty namespace as <c>{}local</c>).
/// </summary>
internal readonly record struct PropertyName(string Namespace, string LocalName)
{
    public string Key => "{" + Namespace + "}" + LocalName;

    public bool IsDav => Namespace == DavXml.Namespace;

    public static PropertyName Dav(string localName) => new(DavXml.Namespace, localName);

    public static PropertyName From(XName name) => new(name.NamespaceName, name.LocalName);

    /// <summary>Reads a stored key; a key without a namespace part names a property in the empty namespace.</summary>
    public static bool TryParseKey(string key, out PropertyName name)
    {
        name = default;
        string ns, local;
        if (key.StartsWith('{'))
        {
            var close = key.IndexOf('}', StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            ns = key[1..close];
            local = key[(close + 1)..];
        }
        else
        {
            ns = string.Empty;
            local = key;
        }

        try
        {
            XmlConvert.VerifyNCName(local);
        }
        catch (XmlException)
        {
            return false;
        }

        name = new PropertyName(ns, local);
        return true;
    }

    public override string ToString() => Key;
}
