using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace RclonePool.Core.Plugins;

/// <summary>
/// The owner of a file and the user running this process, from the C library (.NET has no API for a file's owner).
/// Linux reads <c>statx</c>, whose layout is the same on every architecture; macOS reads <c>stat</c>. Elsewhere the
/// owner is unknown (null).
/// </summary>
internal static partial class FileOwner
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxUid = 0x8;

    /// <summary>The user id of this process (the effective one), or null where it cannot be told.</summary>
    public static uint? CurrentUser() => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() ? GetEffectiveUserId() : null;

    /// <summary>The user id that owns <paramref name="path"/> (the link itself, for a symbolic link), or null where it cannot be told.</summary>
    public static uint? Of(string path)
    {
        var buffer = new byte[256];
        if (OperatingSystem.IsLinux())
        {
            // struct statx: u32 mask, u32 blksize, u64 attributes, u32 nlink, u32 uid ...
            return Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxUid, buffer) == 0 ? BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(20)) : Fail(path);
        }

        if (OperatingSystem.IsMacOS())
        {
            // struct stat (64-bit inodes): i32 dev, u16 mode, u16 nlink, u64 ino, u32 uid ...
            return LStat(path, buffer) == 0 ? BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(16)) : Fail(path);
        }

        return null;
    }

    private static uint? Fail(string path) =>
        throw new IOException($"Cannot read the owner of {path} (error {Marshal.GetLastPInvokeError()}).");

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int directory, string path, int flags, uint mask, [Out] byte[] buffer);

    [LibraryImport("libc", EntryPoint = "lstat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LStat(string path, [Out] byte[] buffer);
}
