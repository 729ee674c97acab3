using Microsoft.Extensions.Logging;
using RclonePool.Core.Pool;

namespace RclonePool.Server.WebDav;

/// <summary>
/// The scratch pool <see cref="DavWarmUp"/> ran its requests on, kept open until the loopback warm-up has sent its
/// PROPFIND of <see cref="ListingPath"/> through the whole server (<see cref="Transport.WarmUpRoute"/>); disposing it
/// closes the pool and removes its directory.
/// </summary>
internal sealed class DavScratch(StoragePool pool, WebDavEndpoint endpoint, string directory, ILogger logger) : IAsyncDisposable
{
    /// <summary>A directory of <see cref="DavWarmUp.ListingEntries"/> files, as a request target.</summary>
    public const string ListingPath = "/warm/listing/";

    public WebDavEndpoint Endpoint => endpoint;

    public async ValueTask DisposeAsync()
    {
        await pool.DisposeAsync();
        Remove(directory, logger);
    }

    /// <summary>Removes the scratch pool's directory; a failure is logged and ignored.</summary>
    public static void Remove(string directory, ILogger logger)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ServerLog.WarmUpFailed(logger, $"{directory} could not be removed: {e.Message}");
        }
    }
}
