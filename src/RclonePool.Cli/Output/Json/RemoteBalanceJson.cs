using System.Text.Json.Serialization;
using RclonePool.Core.Jobs;

namespace RclonePool.Cli.Output.Json;

/// <summary>One remote of <c>balance-status --json</c>; free and total are left out when rclone cannot tell.</summary>
internal sealed record RemoteBalanceJson(
    string Remote,
    long UsedBytes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? FreeBytes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? TotalBytes,
    double SharePercent,
    long Objects,
    double DeviationPercent,
    double Weight,
    int Priority)
{
    public static RemoteBalanceJson From(RemoteBalance r) =>
        new(r.Remote, r.Used, r.Free, r.Total, Math.Round(r.Share, 2), r.Objects, Math.Round(r.Deviation, 2), r.Weight, r.Priority);
}
