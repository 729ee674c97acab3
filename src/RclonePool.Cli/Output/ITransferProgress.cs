namespace RclonePool.Cli.Output;

/// <summary>Progress of a multi-file transfer: one task per file plus the total.</summary>
internal interface ITransferProgress
{
    /// <summary>Starts a file of <paramref name="size"/> bytes (-1 unknown); the returned sink takes cumulative bytes.</summary>
    IProgress<long> StartFile(string name, long size);

    void CompleteFile(string name);
}
