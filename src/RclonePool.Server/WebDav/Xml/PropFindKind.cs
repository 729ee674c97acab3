namespace RclonePool.Server.WebDav.Xml;

internal enum PropFindKind
{
    AllProp,
    PropName,
    Prop,
}
