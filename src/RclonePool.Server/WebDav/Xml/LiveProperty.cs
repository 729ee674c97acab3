namespace RclonePool.Server.WebDav.Xml;

/// <summary>Which of the <see cref="LiveProperties"/> a property name is; <see cref="None"/> for any other name.</summary>
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
