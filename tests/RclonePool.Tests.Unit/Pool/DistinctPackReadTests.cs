using System.Collections.Concurrent;
using RclonePool.Core.Jobs;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Core.Pool.Scanning;
using RclonePool.Core.Remotes;
using RclonePool.Tests.Unit.Jobs;
using RclonePool.Tests.Unit.Support;

namespace RclonePool.Tests.Unit.Pool;

/// <summary>
/// A survey reads each distinct manifest pack once (same name and size on several remotes: the same bytes), falls back
/// to another remote's copy when one is damaged, and reports the damaged copy on its remote.
/// </summary>
public sealed class DistinctPackReadTests
{
    private const int Files = 40;
    private static readonly string[] Remotes = ["a:", "b:", "c:", "d:"];
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_compaction_writes_the_same_pack_to_every_remote_and_index_rebuild_reads_it_once()
    {
        var (memory, reads, test) = await PackedPoolAsync();
        await using var _ = test;

        var packs = Remotes.Select(r => PackKeys(memory, r).Select(k => (Name(k), memory.Objects[k].Length)).Order().ToList()).ToList();
        Assert.NotEmpty(packs[0]);
        Assert.All(packs, p => Assert.Equal(packs[0], p));

        reads.Clear();
        var report = await new IndexRebuilder(test.Pool).RebuildAsync(None);

        Assert.Empty(report.Problems);
        Assert.Equal(packs[0].Count, reads.PackReads.Count);
        Assert.Equal(Files + 1, report.Entries); // the files and their directory
        await AssertAllReadableAsync(test.Pool);
    }

    [Fact]
    public async Task A_damaged_copy_is_reported_on_its_remote_and_another_copy_is_read_instead()
    {
        var (memory, reads, test) = await PackedPoolAsync();
        await using var _ = test;

        // a: (read first) holds garbage of the same size; c: holds a truncated copy: another size, so it is read too.
        var onA = Assert.Single(PackKeys(memory, "a:"));
        var garbage = memory.Objects[onA].ToArray();
        Array.Fill(garbage, (byte)'#', garbage.Length / 3, garbage.Length / 3);
        memory.Put(onA, garbage);
        var onC = Assert.Single(PackKeys(memory, "c:"));
        memory.Put(onC, memory.Objects[onC][..(memory.Objects[onC].Length / 2)]);
        reads.Clear();

        var report = await new IndexRebuilder(test.Pool).RebuildAsync(None);

        Assert.Equal(Files + 1, report.Entries);
        Assert.Contains(report.Problems, p => p.Contains(Name(onA), StringComparison.Ordinal) && p.Contains("on a:", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.Contains(Name(onC), StringComparison.Ordinal) && p.Contains("on c:", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Problems, p => p.Contains("on b:", StringComparison.Ordinal) || p.Contains("on d:", StringComparison.Ordinal));
        Assert.Equal(["a:", "b:", "c:"], reads.PackReads.Select(r => r.Remote).Order(StringComparer.Ordinal));
        await AssertAllReadableAsync(test.Pool);

        // The remotes with a damaged copy were given the current revisions in a new pack.
        Assert.Contains(report.CopiesWritten, c => c.EndsWith("written to a: (in a pack)", StringComparison.Ordinal));
        Assert.Contains(report.CopiesWritten, c => c.EndsWith("written to c: (in a pack)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Each_remotes_own_upload_packs_count_as_one_copy_per_remote_and_a_summary_survey_keeps_no_content()
    {
        var (memory, _, test) = await PackedPoolAsync(compact: false);
        await using var _ = test;
        var ownPacks = Remotes.ToDictionary(r => r, r => PackKeys(memory, r).Select(Name).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        Assert.All(ownPacks.Values, p => Assert.NotEmpty(p));

        var full = await test.Pool.Context.SurveyAsync(new SurveyOptions(), None);
        var summaries = await test.Pool.Context.SurveyAsync(new SurveyOptions { Summaries = true }, None);

        var files = full.Entries.Where(e => e.Current is { Kind: EntryKind.File }).ToList();
        Assert.Equal(Files, files.Count);
        foreach (var entry in files)
        {
            // One copy per remote; a packed one in a pack that remote lists itself, all of them sharing one array of record bytes.
            var copies = entry.CopiesOf(entry.Current!.Revision);
            Assert.Equal(Remotes, copies.Select(c => c.Remote.Name).Order(StringComparer.Ordinal));
            var packed = copies.Where(c => c.IsPacked).ToList();
            Assert.All(packed, c => Assert.Contains(Name(c.Entry.Path), ownPacks[c.Remote.Name]));
            Assert.All(packed, c => Assert.Same(packed[0].Packed, c.Packed));
            Assert.NotEmpty(entry.Current.Chunks);

            var summary = Assert.Single(summaries.Entries, e => e.FileId == entry.FileId);
            Assert.Equal((entry.Current.Path, entry.Current.Revision, entry.Current.Size, entry.Current.Written), (summary.Current!.Path, summary.Current.Revision, summary.Current.Size, summary.Current.Written));
            Assert.Empty(summary.Current.Chunks);
            Assert.Equal(entry.CurrentBytes, summary.CurrentBytes);
            Assert.Equal(Remotes.Length, summary.CopiesOf(summary.Current.Revision).Count);
        }
    }

    private static async Task<(InMemoryRemoteStore Memory, PackReadCounter Reads, TestPool Test)> PackedPoolAsync(bool compact = true)
    {
        var memory = new InMemoryRemoteStore(Remotes);
        var reads = new PackReadCounter(memory);
        var test = await TestPool.CreateAsync(reads, c =>
        {
            c.Remotes = [.. Remotes];
            c.ManifestPacking = true;
        });
        await test.Pool.MkdirAsync(PoolPath.Parse("/d"), None);
        await Task.WhenAll(Enumerable.Range(0, Files).Select(i =>
        {
            var data = PoolJobs.Data(200 + i, i);
            return test.Pool.PutAsync(PoolPath.Parse($"/d/f{i:00}"), new MemoryStream(data), data.Length, PutOptions.Default, None);
        }));
        if (compact)
        {
            await new ManifestCompactor(test.Pool).CompactAsync(full: true, None);
        }

        return (memory, reads, test);
    }

    private static async Task AssertAllReadableAsync(StoragePool pool)
    {
        for (var i = 0; i < Files; i++)
        {
            await using var stream = await pool.OpenReadAsync(PoolPath.Parse($"/d/f{i:00}"), 0, -1, None);
            var read = new MemoryStream();
            await stream.CopyToAsync(read, None);
            Assert.Equal(PoolJobs.Data(200 + i, i), read.ToArray());
        }
    }

    private static List<string> PackKeys(InMemoryRemoteStore memory, string remote) =>
        [.. memory.Keys(remote, "rclonepool_manifests").Where(k => ManifestNames.IsPackName(Name(k)))];

    private static string Name(string key) => key[(key.LastIndexOf('/') + 1)..];

    /// <summary>
    /// Counts the reads of manifest packs, per remote. A manifest write takes a few milliseconds, as on a real remote (in
    /// memory it would complete at once, so concurrent uploads would never gather into a pack).
    /// </summary>
    private sealed class PackReadCounter(IRemoteStore inner) : PassThroughRemoteStore(inner)
    {
        private ConcurrentQueue<RemotePath> _reads = new();

        public override async Task WriteAsync(RemotePath target, Stream content, long length, CancellationToken cancellationToken)
        {
            if (target.Path.StartsWith("rclonepool_manifests/", StringComparison.Ordinal))
            {
                await Task.Delay(5, cancellationToken);
            }

            await base.WriteAsync(target, content, length, cancellationToken);
        }

        public IReadOnlyCollection<RemotePath> PackReads => _reads;

        public void Clear() => _reads = new();

        public override Task<Stream> OpenReadAsync(RemotePath source, long offset, long count, CancellationToken cancellationToken)
        {
            if (ManifestNames.IsPackName(source.Path[(source.Path.LastIndexOf('/') + 1)..]))
            {
                _reads.Enqueue(source);
            }

            return Inner.OpenReadAsync(source, offset, count, cancellationToken);
        }
    }
}
