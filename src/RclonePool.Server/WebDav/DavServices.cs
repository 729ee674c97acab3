using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Server.WebDav.Locking;

namespace RclonePool.Server.WebDav;

/// <summary>What every WebDAV handler shares for the life of the server.</summary>
internal sealed class DavServices
{
    private readonly FileExtensionContentTypeProvider _contentTypes = CreateContentTypes();

    public DavServices(IPoolFileSystem pool, ServerOptions options, ILogger logger)
    {
        Pool = pool;
        Options = options;
        Logger = logger;
        Time = options.TimeProvider;
        Locks = pool is StoragePool { SharedDavLocks: { } shared } ? new SharedLockTable(shared, Time) : new LockTable(Time);
        var pathBase = string.IsNullOrWhiteSpace(options.PathBase) ? PoolPath.Root : PoolPath.Parse(options.PathBase.Trim());
        PathBase = pathBase.IsRoot ? string.Empty : pathBase.Value;
    }

    public IPoolFileSystem Pool { get; }

    public ServerOptions Options { get; }

    public ILogger Logger { get; }

    public TimeProvider Time { get; }

    /// <summary>The write locks: this process's, or those every gateway of a pool with a shared index sees.</summary>
    public ILockStore Locks { get; }

    /// <summary>The decoded path base, "" or "/name" (no trailing slash).</summary>
    public string PathBase { get; }

    private static FileExtensionContentTypeProvider CreateContentTypes()
    {
        // ASP.NET Core's table, plus media formats a pool of films and music holds that it lacks.
        var provider = new FileExtensionContentTypeProvider();
        provider.Mappings[".mkv"] = "video/x-matroska";
        provider.Mappings[".mka"] = "audio/x-matroska";
        provider.Mappings[".flac"] = "audio/flac";
        provider.Mappings[".opus"] = "audio/opus";
        provider.Mappings[".m4v"] = "video/x-m4v";
        provider.Mappings[".srt"] = "application/x-subrip";
        provider.Mappings[".ass"] = "text/x-ssa";
        provider.Mappings[".nfo"] = "text/plain";
        return provider;
    }

    /// <summary>The media type for a file name, by its extension; application/octet-stream when unknown.</summary>
    public string ContentTypeOf(string name) =>
        _contentTypes.TryGetContentType(name, out var type) ? type : "application/octet-stream";
}
