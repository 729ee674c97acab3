#!/usr/bin/env bash
# Uploads, downloads and cats (to /dev/null) the same random file through rclonepool and through rclone's own chunker over
# union of the same number of local remotes, with the same chunk size, in one run; prints MB/s, the ratios
# and rclonepool's peak resident memory.
#
#   bench/pool-vs-rclone.sh [--size-mb 1024] [--chunk-mb 100] [--remotes 4] [--workers 4] [--transport rcd|cli] [--rounds 3]
#                           [--through-rclone]
#
# --through-rclone: the pool reads and writes its local remotes only through rclone (local_direct_reads and
# local_direct_writes: false); by default rclonepool reads the files of remotes rclone reports as local directories
# directly and writes its objects there (chunks and manifests, through a temporary name renamed into place).
# The machine may be shared: each round runs the four transfers back to back, and the best time of each
# transfer over the rounds is kept.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=lib/common.sh
source "$root/bench/lib/common.sh"
size_mb=1024 chunk_mb=100 remotes=4 workers=4 transport=rcd rounds=3 direct=true
while [[ $# -gt 0 ]]; do
  case "$1" in
    --size-mb) size_mb="$2"; shift 2 ;;
    --chunk-mb) chunk_mb="$2"; shift 2 ;;
    --remotes) remotes="$2"; shift 2 ;;
    --workers) workers="$2"; shift 2 ;;
    --transport) transport="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --through-rclone) direct=false; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

"$root/scripts/install-deps.sh" rclone

work="$(mktemp -d "${BENCH_DIR:-/tmp}/rclonepool-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
echo "bench: ${size_mb} MiB file, ${chunk_mb} MiB chunks, ${remotes} local remotes, ${workers} workers, transport ${transport}, local_direct_reads/writes ${direct}; work dir $work"

# Build once, outside the timings.
"$root/rclonepool" --help >/dev/null
# Under a real-time policy both tools run at priority 50, where .NET puts its thread-pool threads (set_same_priority).
set_same_priority
pool() { "${rt[@]}" dotnet "$root/.build/cli/rclonepool.dll" --config "$work/pool.json" --no-progress "$@"; }

head -c $((size_mb * 1024 * 1024)) /dev/urandom > "$work/source.bin"

pool_remotes=() union_upstreams=()
for i in $(seq 1 "$remotes"); do
  mkdir -p "$work/pool/r$i" "$work/union/u$i"
  pool_remotes+=("\"$work/pool/r$i\"")
  union_upstreams+=("$work/union/u$i")
done
daemon=true; [[ "$transport" == cli ]] && daemon=false
cat > "$work/pool.json" <<JSON
{
  "remotes": [$(IFS=,; echo "${pool_remotes[*]}")],
  "chunk_size": $((chunk_mb * 1024 * 1024)),
  "manifest_cache_dir": "$work/cache",
  "temp_dir": "$work/tmp",
  "max_parallel_workers": $workers,
  "enable_rclone_daemon": $daemon,
  "local_direct_reads": $direct,
  "local_direct_writes": $direct
}
JSON
write_chunker_over_union "$work/rclone.conf" "$chunk_mb" "${union_upstreams[@]}"
pool init >/dev/null

rate() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", b / 1e6 / s }'; }
bytes=$((size_mb * 1024 * 1024))

elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { print b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
pool_up="" rclone_up="" pool_down="" rclone_down="" pool_cat="" rclone_cat=""
for round in $(seq 1 "$rounds"); do
  pool delete /bench/source.bin >/dev/null 2>&1 || true
  RCLONE_CONFIG="$work/rclone.conf" rclone purge ch:bench >/dev/null 2>&1 || true
  rm -f "$work/pool-out.bin" "$work/rclone-out.bin"
  sync
  t0=$(now); RCLONEPOOL_REPORT_PEAK_RSS=1 pool upload "$work/source.bin" /bench/source.bin 2>"$work/up.log"; t1=$(now)
  pool_up=$(best "$pool_up" "$(elapsed "$t0" "$t1")")
  sync
  t0=$(now); RCLONE_CONFIG="$work/rclone.conf" "${rt[@]}" rclone copyto --transfers "$workers" "$work/source.bin" ch:bench/source.bin; t1=$(now)
  rclone_up=$(best "$rclone_up" "$(elapsed "$t0" "$t1")")
  t0=$(now); RCLONEPOOL_REPORT_PEAK_RSS=1 pool download /bench/source.bin "$work/pool-out.bin" 2>"$work/down.log"; t1=$(now)
  pool_down=$(best "$pool_down" "$(elapsed "$t0" "$t1")")
  t0=$(now)
  if RCLONE_CONFIG="$work/rclone.conf" "${rt[@]}" rclone copyto ch:bench/source.bin "$work/rclone-out.bin" 2>"$work/rclone-down.log"; then
    t1=$(now); rclone_down=$(best "$rclone_down" "$(elapsed "$t0" "$t1")")
    cmp "$work/source.bin" "$work/rclone-out.bin" || { echo "bench: rclone download differs from the source!" >&2; exit 1; }
  else
    echo "bench: round $round: rclone's download FAILED: $(tail -1 "$work/rclone-down.log")"
  fi
  cmp "$work/source.bin" "$work/pool-out.bin" || { echo "bench: rclonepool download differs from the source!" >&2; exit 1; }
  # cat to /dev/null: the read path alone, no file written (what each printed is checked after the rounds).
  t0=$(now); pool cat /bench/source.bin > /dev/null; t1=$(now)
  pool_cat=$(best "$pool_cat" "$(elapsed "$t0" "$t1")")
  t0=$(now); RCLONE_CONFIG="$work/rclone.conf" "${rt[@]}" rclone cat ch:bench/source.bin > /dev/null; t1=$(now)
  rclone_cat=$(best "$rclone_cat" "$(elapsed "$t0" "$t1")")
  echo "bench: round $round done"
done
[[ -n "$rclone_down" ]] || rclone_down=inf

pu=$(rate $bytes "$pool_up") ru=$(rate $bytes "$rclone_up") pd=$(rate $bytes "$pool_down") rd=$(rate $bytes "$rclone_down")
echo "upload   rclonepool=${pu} MB/s  rclone-chunker-union=${ru} MB/s  ratio=$(ratio "$pu" "$ru")"
if [[ "$rclone_down" == inf ]]; then
  echo "download rclonepool=${pd} MB/s  rclone-chunker-union=FAILED in every round (see above)"
else
  echo "download rclonepool=${pd} MB/s  rclone-chunker-union=${rd} MB/s  ratio=$(ratio "$pd" "$rd")"
fi
# What each cat printed, checked once outside the timings: rclone's chunker over union can print nothing and exit 0
# for a file whose chunks sit on several upstreams, and its speed then means nothing.
pool cat /bench/source.bin | cmp -s - "$work/source.bin" || { echo "bench: rclonepool cat differs from the source!" >&2; exit 1; }
rclone_printed=$(RCLONE_CONFIG="$work/rclone.conf" rclone cat ch:bench/source.bin 2>/dev/null | wc -c)
pc=$(rate $bytes "$pool_cat") rc=$(rate $bytes "$rclone_cat")
if [[ $rclone_printed -ne $bytes ]]; then
  echo "cat      rclonepool=${pc} MB/s  rclone-chunker-union=WRONG: printed ${rclone_printed} of ${bytes} bytes and exited 0 (timed at ${rc} MB/s)"
else
  echo "cat      rclonepool=${pc} MB/s  rclone-chunker-union=${rc} MB/s  ratio=$(ratio "$pc" "$rc")  (to /dev/null)"
fi
peak() { sed -n 's/^peak_rss_bytes=//p' "$1" | tail -1 | awk '{ printf "%d", $1 / 1048576 }'; }
echo "peak RSS of the rclonepool process: upload $(peak "$work/up.log") MiB, download $(peak "$work/down.log") MiB"
echo "rclonepool upload output:"; grep -v '^peak_rss' "$work/up.log" | sed 's/^/  /'
