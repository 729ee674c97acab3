using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace RclonePool.Benchmarks.Codec;

/// <summary>Adds a column with the GB/s of data (k x shard size per operation) to the codec benchmarks.</summary>
public sealed class CodecBenchmarkConfig : ManualConfig
{
    public CodecBenchmarkConfig()
    {
        AddColumn(new DataThroughputColumn());
    }

    private sealed class DataThroughputColumn : IColumn
    {
        public string Id => nameof(DataThroughputColumn);

        public string ColumnName => "Data GB/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Data shards x shard size / mean time, in 10^9 bytes per second";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
            GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var report = summary[benchmarkCase];
            if (report?.ResultStatistics is not { } statistics ||
                benchmarkCase.Parameters["Shape"] is not string shape ||
                benchmarkCase.Parameters["ShardBytes"] is not int shardBytes)
            {
                return "-";
            }

            CodecCase c = CodecCase.Parse($"{shape}:{shardBytes}");
            double gbps = (double)c.DataShards * shardBytes / statistics.Mean;
            return gbps.ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
        }

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}
