using System.Text;

namespace RclonePool.Core.Config;

/// <summary>
/// The key reference of docs/configuration.md, rendered from <see cref="ConfigKeys.All"/>. A unit test keeps
/// the committed page equal to it (RCLONEPOOL_UPDATE_DOCS=1 rewrites the page).
/// </summary>
internal static class ConfigReference
{
    public const string BeginMarker = "<!-- BEGIN generated from ConfigKeys: do not edit by hand -->";
    public const string EndMarker = "<!-- END generated from ConfigKeys -->";

    public static string Markdown()
    {
        var text = new StringBuilder();
        foreach (var section in ConfigKeys.All.GroupBy(k => k.Section))
        {
            text.Append("### ").Append(section.Key).Append("\n\n");
            text.Append("| Key | Type | Default | Active | Meaning |\n");
            text.Append("|-----|------|---------|--------|---------|\n");
            foreach (var key in section)
            {
                text.Append("| `").Append(key.Name).Append("` | ")
                    .Append(Cell(key.TypeName)).Append(" | ")
                    .Append(DefaultCell(key)).Append(" | ")
                    .Append(key.Active ? "yes" : "not yet").Append(" | ")
                    .Append(Cell(key.Description)).Append(" |\n");
            }

            text.Append('\n');
        }

        return text.ToString().TrimEnd('\n') + "\n";
    }

    private static string DefaultCell(ConfigKey key)
    {
        var text = key.DefaultText;
        var cut = text.IndexOf(" (", StringComparison.Ordinal);
        return cut < 0 ? "`" + Cell(text) + "`" : "`" + Cell(text[..cut]) + "`" + Cell(text[cut..]);
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
