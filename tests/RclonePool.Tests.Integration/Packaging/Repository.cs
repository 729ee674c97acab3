namespace RclonePool.Tests.Integration.Packaging;

/// <summary>The repository checkout the tests run from (the directory holding RclonePool.slnx).</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "RclonePool.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No RclonePool.slnx above {AppContext.BaseDirectory}; run the tests from a checkout of the repository.");
    }
}
