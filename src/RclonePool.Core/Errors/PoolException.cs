namespace RclonePool.Core.Errors;

/// <summary>
/// The one exception type the core throws for expected failures. The message is a whole sentence that
/// names the object and says what to do; <see cref="Kind"/> classifies it for retries and exit codes.
/// </summary>
public sealed class PoolException : Exception
{
    public PoolException(PoolErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public PoolErrorKind Kind { get; }

    /// <summary>True when the same call may succeed if tried again.</summary>
    public bool IsTransient => Kind == PoolErrorKind.Transient;

    /// <summary>
    /// True when the failed operation may still have taken effect on some remote (a manifest copy that could be neither
    /// confirmed nor removed): the caller must keep what that effect depends on, and leave the rest to 'orphans'.
    /// </summary>
    public bool InDoubt { get; init; }
}
