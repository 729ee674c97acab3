namespace RclonePool.Tests.Unit.Config;

/// <summary>The repository checkout the tests run from (the directory holding RclonePool.slnx).</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "RclonePool.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No RclonePool.slnx above {AppContext.BaseDirectory}; run the tests from a checkout of the repository.");
    }
}
