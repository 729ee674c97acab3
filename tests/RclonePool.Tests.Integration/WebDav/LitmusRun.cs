using System.Text.RegularExpressions;

namespace RclonePool.Tests.Integration.WebDav;

/// <summary>The parsed output of one litmus group.</summary>
public sealed partial record LitmusRun(string Group, int ExitCode, string Output, IReadOnlyList<LitmusCase> Cases)
{
    /// <summary>
    /// Reads litmus's report. Each case ends on a line <c>NN. name....... pass|FAIL (why)|SKIPPED</c> (litmus redraws the
    /// line with carriage returns; only the text after the last one counts); warnings come as <c>WARNING: text</c>
    /// lines before the case's result, which is then printed on a <c>    ....... pass (with N warnings)</c> line.
    /// </summary>
    public static LitmusRun Parse(string group, int exitCode, string output)
    {
        var cases = new List<LitmusCase>();
        var warnings = new List<string>();
        int? number = null;
        var name = string.Empty;
        foreach (var rawLine in output.Split('\n'))
        {
            var line = rawLine[(rawLine.LastIndexOf('\r') + 1)..].TrimEnd();
            var caseLine = CaseLine().Match(line);
            string rest;
            if (caseLine.Success)
            {
                number = int.Parse(caseLine.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                name = caseLine.Groups[2].Value;
                rest = caseLine.Groups[3].Value;
            }
            else if (number is not null && ContinuationLine().Match(line) is { Success: true } continuation)
            {
                rest = continuation.Groups[1].Value;
            }
            else
            {
                rest = line.Trim();
            }

            if (number is null)
            {
                continue;
            }

            var warning = rest.IndexOf("WARNING:", StringComparison.Ordinal);
            if (warning >= 0)
            {
                warnings.Add(rest[(warning + 8)..].Trim());
                continue;
            }

            var outcome = rest.StartsWith("pass", StringComparison.Ordinal) ? "pass"
                : rest.StartsWith("FAIL", StringComparison.Ordinal) ? "FAIL"
                : rest.StartsWith("SKIPPED", StringComparison.Ordinal) ? "SKIPPED"
                : null;
            if (outcome is not null)
            {
                cases.Add(new LitmusCase(number.Value, name, outcome, rest, warnings.ToArray()));
                warnings.Clear();
                number = null;
            }
        }

        return new LitmusRun(group, exitCode, output, cases);
    }

    [GeneratedRegex(@"^\s*(\d+)\.\s+(\w+?)\.*\s+(\S.*)?$")]
    private static partial Regex CaseLine();

    [GeneratedRegex(@"^\s+\.{3,}\s+(\S.*)$")]
    private static partial Regex ContinuationLine();
}
