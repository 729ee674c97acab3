namespace RclonePool.Server.Api.Jobs;

/// <summary>The API's names of <see cref="JobState"/>.</summary>
public static class JobStates
{
    public static string Name(this JobState state) => state switch
    {
        JobState.Queued => "queued",
        JobState.Running => "running",
        JobState.Succeeded => "succeeded",
        JobState.Failed => "failed",
        _ => "cancelled",
    };

    public static bool IsFinal(this JobState state) => state is JobState.Succeeded or JobState.Failed or JobState.Cancelled;
}
