namespace RclonePool.Server.Metrics;

/// <summary>
/// What the metrics ask of the jobs registry (verify, repair, rebalance … started through the API): how many jobs there
/// are of each kind and state. Optional: the server resolves it from its services, and without one no job series is
/// exported.
/// </summary>
public interface IJobCounts
{
    /// <summary>A snapshot: one row per kind and state that has jobs ("verify", "running", 2).</summary>
    IReadOnlyCollection<JobCount> CountJobs();
}
