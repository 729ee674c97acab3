using RclonePool.Cli.Commands;
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
        ["verify-clean.json"] = s => VerifyCommand.WriteJson(s, JsonSamples.VerifyClean, TimeSpan.Zero),
        ["verify-damaged.json"] = s => VerifyCommand.WriteJson(s, JsonSamples.VerifyDamaged, TimeSpan.FromTicks(12_345_678)),
        ["health-empty.json"] = s => HealthCommand.WriteJson(s, JsonSamples.HealthEmpty, TimeSpan.FromMilliseconds(20)),
        ["health-problems.json"] = s => HealthCommand.WriteJson(s, JsonSamples.HealthProblems, TimeSpan.FromSeconds(61.5)),
        ["orphans-empty.json"] = s => OrphansCommand.WriteJson(s, JsonSamples.OrphansEmpty, new OrphanOptions()),
        ["orphans-found.json"] = s => OrphansCommand.WriteJson(s, JsonSamples.OrphansFound, new OrphanOptions { Delete = true, MinAge = TimeSpan.FromMilliseconds(90_500) }),
        ["rebuild-empty.json"] = s => RebuildCommand.WriteJson(s, JsonSamples.RebuildEmpty),
        ["rebuild-partial.json"] = s => RebuildCommand.WriteJson(s, JsonSamples.RebuildPartial),
        ["ls-empty.json"] = s => LsCommand.WriteJson(s, []),
        ["ls-entries.json"] = s => LsCommand.WriteJson(s, JsonSamples.LsEntries),
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
