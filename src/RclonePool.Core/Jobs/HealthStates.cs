namespace RclonePool.Core.Jobs;

/// <summary>Printed names of <see cref="HealthState"/>.</summary>
public static class HealthStates
{
    public static string Name(this HealthState state) => state switch
    {
        HealthState.Healthy => "healthy",
        HealthState.Degraded => "degraded",
        HealthState.Critical => "critical",
        HealthState.Lost => "lost",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    /// <summary>The worse of two states.</summary>
    public static HealthState Worst(HealthState a, HealthState b) => a > b ? a : b;
}
