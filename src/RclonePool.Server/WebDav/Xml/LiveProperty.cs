namespace RclonePool.Server.WebDav.Xml;

/// <summary>
/// Which of the <see cref="LiveProperties"/> a property name is; <see cref="None"/> for any other name. The members after
/// <see cref="None"/> are in the order of <c>LiveProperties</c>' table of names, which derives both ways from it.
/// </summary>
internal enum LiveProperty
{
    None,
    ResourceType,
    ContentLength,
    LastModified,
    CreationDate,
    ETag,
    ContentType,
    DisplayName,
    LockDiscovery,
    SupportedLock,
    QuotaAvailable,
    QuotaUsed,
}
