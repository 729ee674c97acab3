using RclonePool.Core.Errors;

namespace RclonePool.Cli.Output;

/// <summary>Documented exit codes (README, "Exit codes"). Scripts may rely on them.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int BadInput = 2;
    public const int NotFound = 3;
    public const int Conflict = 4;
    public const int Transient = 5;
    public const int Integrity = 6;
    public const int NoSpace = 7;
    public const int Environment = 8;
    public const int Remote = 9;

    /// <summary><c>health</c>: redundancy is reduced (degraded or critical files, a remote unreachable, manifest copies missing) but every file is still readable.</summary>
    public const int Degraded = 10;
    public const int Interrupted = 130;

    public static int For(PoolErrorKind kind) => kind switch
    {
        PoolErrorKind.BadInput => BadInput,
        PoolErrorKind.NotFound => NotFound,
        PoolErrorKind.Conflict => Conflict,
        PoolErrorKind.Transient => Transient,
        PoolErrorKind.Integrity => Integrity,
        PoolErrorKind.NoSpace => NoSpace,
        PoolErrorKind.Environment => Environment,
        PoolErrorKind.Remote => Remote,
        _ => Failure,
    };
}
