namespace RclonePool.Tests.Integration.WebDav;

/// <summary>One litmus case as reported: its number in the group, name, outcome, failure text and warnings.</summary>
public sealed record LitmusCase(int Number, string Name, string Outcome, string Detail, IReadOnlyList<string> Warnings);
