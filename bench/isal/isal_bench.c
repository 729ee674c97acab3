/*
 * The ISA-L half of bench/codec.sh: single-threaded encode and reconstruct throughput (GB/s of data) for one
 * k+m and shard size, measured the same way as the C# harness (bench/RclonePool.Benchmarks/Codec/):
 * one 4 KiB-aligned block with shard i at i * (size + 64), the same LCG data, 0.3 s warm-up, best of
 * 20 trials of 30 ms timed by this thread's CPU clock (time spent descheduled on a shared machine does
 * not count). Reconstruct loses the first m data shards and rebuilds them from the other k shards;
 * like our codec's per-pattern cache, the decode matrix is inverted and its tables built once, before timing.
 *
 * usage: isal_bench K M SIZE_BYTES [auto|avx512|avx2|avx|sse|base]
 * prints: "encode K+M SIZE GBPS", "check K+M SIZE HASH", "reconstruct K+M SIZE GBPS".
 */
#include <isa-l/erasure_code.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TRIAL_SECONDS 0.03
#define TRIALS 20

typedef void (*encode_fn)(int, int, int, unsigned char *, unsigned char **, unsigned char **);

void ec_encode_data_avx512(int len, int k, int rows, unsigned char *gftbls, unsigned char **data,
                           unsigned char **coding);

static double seconds(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double now(void) { return seconds(CLOCK_MONOTONIC); }

/* CPU time of this thread: time spent descheduled (the machine is shared) does not count. */
static double cpu(void) { return seconds(CLOCK_THREAD_CPUTIME_ID); }

static encode_fn pick(const char *path)
{
    if (strcmp(path, "auto") == 0) return ec_encode_data;
    if (strcmp(path, "avx512") == 0) return ec_encode_data_avx512;
    if (strcmp(path, "avx2") == 0) return ec_encode_data_avx2;
    if (strcmp(path, "avx") == 0) return ec_encode_data_avx;
    if (strcmp(path, "sse") == 0) return ec_encode_data_sse;
    if (strcmp(path, "base") == 0) return ec_encode_data_base;
    fprintf(stderr, "unknown ISA-L path '%s' (auto, avx512, avx2, avx, sse, base)\n", path);
    exit(1);
}

struct job {
    encode_fn encode;
    int len, k, rows;
    unsigned char *tables, **in, **out;
};

static void run(const struct job *j) { j->encode(j->len, j->k, j->rows, j->tables, j->in, j->out); }

/* Best GB/s (1e9 bytes per second) of data over several trials, after a warm-up. */
static double measure(const struct job *j, double bytes)
{
    double start = now(), elapsed;
    long iterations = 0;
    do {
        run(j);
        iterations++;
    } while ((elapsed = now() - start) < 0.3 || iterations < 3);

    long per_trial = (long)(iterations * TRIAL_SECONDS / elapsed);
    if (per_trial < 1) per_trial = 1;
    double best = 0;
    for (int t = 0; t < TRIALS; t++) {
        double t0 = cpu();
        for (long i = 0; i < per_trial; i++) run(j);
        double gbps = bytes * per_trial / (cpu() - t0) / 1e9;
        if (gbps > best) best = gbps;
    }
    return best;
}

static const char *size_name(long size, char *buf)
{
    if (size % (1024 * 1024) == 0) sprintf(buf, "%ldMiB", size / (1024 * 1024));
    else if (size % 1024 == 0) sprintf(buf, "%ldKiB", size / 1024);
    else sprintf(buf, "%ldB", size);
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s K M SIZE_BYTES [auto|avx512|avx2|avx|sse|base]\n", argv[0]);
        return 1;
    }
    int k = atoi(argv[1]), m = atoi(argv[2]), n = k + m;
    long size = atol(argv[3]);
    encode_fn encode = pick(argc > 4 ? argv[4] : "auto");
    char name[32];
    size_name(size, name);

    long stride = size + 64;
    unsigned char *block;
    if (posix_memalign((void **)&block, 4096, (size_t)stride * n) != 0) return 1;
    unsigned char *shard[256], *original[256];
    for (int i = 0; i < n; i++) {
        shard[i] = block + (long)i * stride;
        uint64_t x = (uint64_t)i + 1;
        for (long p = 0; p < size; p++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            shard[i][p] = (unsigned char)(x >> 56);
        }
    }

    /* Systematic Cauchy generator: the same matrix our codec uses, so the parity must match byte for byte. */
    unsigned char *a = malloc((size_t)n * k), *tables = malloc((size_t)32 * k * m);
    gf_gen_cauchy1_matrix(a, n, k);
    ec_init_tables(k, m, &a[k * k], tables);

    struct job enc = { encode, (int)size, k, m, tables, shard, shard + k };
    double encode_gbps = measure(&enc, (double)k * size);
    printf("encode %d+%d %s %.2f\n", k, m, name, encode_gbps);

    uint64_t hash = 14695981039346656037ULL;
    for (int i = k; i < n; i++)
        for (long p = 0; p < size; p++) hash = (hash ^ shard[i][p]) * 1099511628211ULL;
    printf("check %d+%d %s %016llx\n", k, m, name, (unsigned long long)hash);

    /* Lose data shards 0..m-1; read data m..k-1 and parity 0..m-1. */
    unsigned char *b = malloc((size_t)k * k), *d = malloc((size_t)k * k), *dec_tables = malloc((size_t)32 * k * m);
    unsigned char *src[256], *dst[256];
    for (int i = 0; i < m; i++) {
        original[i] = malloc(size);
        memcpy(original[i], shard[i], size);
        dst[i] = shard[i];
    }
    for (int r = 0; r < k; r++) {
        int s = r + m;
        src[r] = shard[s];
        memcpy(&b[r * k], &a[s * k], k);
    }
    if (gf_invert_matrix(b, d, k) != 0) {
        fprintf(stderr, "singular decode matrix\n");
        return 1;
    }
    ec_init_tables(k, m, d, dec_tables); /* rows 0..m-1 of the inverse rebuild data shards 0..m-1 */

    struct job rec = { encode, (int)size, k, m, dec_tables, src, dst };
    double reconstruct_gbps = measure(&rec, (double)k * size);
    for (int i = 0; i < m; i++)
        if (memcmp(original[i], shard[i], size) != 0) {
            fprintf(stderr, "reconstruct %d+%d %s: data shard %d differs\n", k, m, name, i);
            return 2;
        }
    printf("reconstruct %d+%d %s %.2f\n", k, m, name, reconstruct_gbps);
    return 0;
}
