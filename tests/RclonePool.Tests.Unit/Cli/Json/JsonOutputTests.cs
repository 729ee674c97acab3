using RclonePool.Cli.Output;
using RclonePool.Cli.Output.Json;
using RclonePool.Core.Jobs;

namespace RclonePool.Tests.Unit.Cli.Json;

/// <summary>
/// Every <c>--json</c> report is byte for byte what the golden file beside this test holds: field names, order,
/// omitted optional fields, number and date formatting, escaping, indentation and the trailing newline.
/// </summary>
public sealed class JsonOutputTests
{
    private static readonly Dictionary<string, Action<Stream>> Reports = new()
    {
        ["verify-clean.json"] = s => JsonOutput.Write(s, VerifyJson.From(JsonSamples.VerifyClean, TimeSpan.Zero), CliJsonContext.Default.VerifyJson),
        ["verify-damaged.json"] = s => JsonOutput.Write(s, VerifyJson.From(JsonSamples.VerifyDamaged, TimeSpan.FromTicks(12_345_678)), CliJsonContext.Default.VerifyJson),
        ["health-empty.json"] = s => JsonOutput.Write(s, HealthJson.From(JsonSamples.HealthEmpty, TimeSpan.FromMilliseconds(20)), CliJsonContext.Default.HealthJson),
        ["health-problems.json"] = s => JsonOutput.Write(s, HealthJson.From(JsonSamples.HealthProblems, TimeSpan.FromSeconds(61.5)), CliJsonContext.Default.HealthJson),
        ["orphans-empty.json"] = s => JsonOutput.Write(s, OrphansJson.From(JsonSamples.OrphansEmpty, new OrphanOptions()), CliJsonContext.Default.OrphansJson),
        ["orphans-found.json"] = s => JsonOutput.Write(s, OrphansJson.From(JsonSamples.OrphansFound, new OrphanOptions { Delete = true, MinAge = TimeSpan.FromMilliseconds(90_500) }), CliJsonContext.Default.OrphansJson),
        ["rebuild-empty.json"] = s => JsonOutput.Write(s, RebuildJson.From(JsonSamples.RebuildEmpty), CliJsonContext.Default.RebuildJson),
        ["rebuild-partial.json"] = s => JsonOutput.Write(s, RebuildJson.From(JsonSamples.RebuildPartial), CliJsonContext.Default.RebuildJson),
        ["balance-status-even.json"] = s => JsonOutput.Write(s, BalanceStatusJson.From(JsonSamples.BalanceEven), CliJsonContext.Default.BalanceStatusJson),
        ["balance-status-uneven.json"] = s => JsonOutput.Write(s, BalanceStatusJson.From(JsonSamples.BalanceUneven), CliJsonContext.Default.BalanceStatusJson),
        ["rebalance-dry-run.json"] = s => JsonOutput.Write(s, RebalanceJson.From(JsonSamples.RebalanceDryRun, TimeSpan.FromMilliseconds(1500)), CliJsonContext.Default.RebalanceJson),
        ["rebalance-partial.json"] = s => JsonOutput.Write(s, RebalanceJson.From(JsonSamples.RebalancePartial, TimeSpan.FromSeconds(12.25)), CliJsonContext.Default.RebalanceJson),
        ["ls-empty.json"] = s => JsonOutput.Write(s, LsEntryJson.FromAll([]), CliJsonContext.Default.LsJson),
        ["ls-entries.json"] = s => JsonOutput.Write(s, LsEntryJson.FromAll(JsonSamples.LsEntries), CliJsonContext.Default.LsJson),
    };

    public static TheoryData<string> Names => [.. Reports.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Report_is_byte_for_byte_the_golden_file(string name)
    {
        using var output = new MemoryStream();
        Reports[name](output);
        Golden.AssertMatches(name, output.ToArray());
    }
}
