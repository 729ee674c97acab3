using Microsoft.Win32.SafeHandles;

namespace RclonePool.Core.IO;

/// <summary>
/// <paramref name="Length"/> bytes of an open local file from <paramref name="Offset"/>: where a read found bytes it
/// handed out, so that a server can send them from the file (<c>sendfile</c>) instead of from memory.
/// </summary>
public readonly record struct FileRegion(SafeFileHandle Handle, long Offset, int Length);
