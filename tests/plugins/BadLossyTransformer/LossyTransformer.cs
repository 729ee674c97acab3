using RclonePool.Plugins;

namespace BadLossyTransformer;

/// <summary>A transformer whose decode does not undo its encode: the round-trip check refuses it on the first block.</summary>
public sealed class LossyTransformer : ITransformerPlugin
{
    public PluginMetadata Metadata { get; } = new("lossy", "1.0.0", "tests", "Encode zeroes the data; decode cannot bring it back.", PluginType.Transformer);

    public void Encode(Span<byte> data, long offset) => data.Clear();

    public void Decode(Span<byte> data, long offset)
    {
    }
}
