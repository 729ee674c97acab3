namespace RclonePool.Core.IO;

/// <summary>What a local disk's failures mean.</summary>
public static class DiskErrors
{
    /// <summary>True when <paramref name="e"/> says the disk is full or over its quota (ENOSPC, EDQUOT, or Windows' disk full and handle-EOF codes).</summary>
    public static bool IsDiskFull(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.HResult is 28 or 122 or unchecked((int)0x80070070) or unchecked((int)0x80070027);
    }

    /// <summary>Free bytes for this user on the file system that holds <paramref name="directory"/>, or null when it cannot be told.</summary>
    public static long? FreeBytes(string directory)
    {
        try
        {
            return new DriveInfo(directory).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}
