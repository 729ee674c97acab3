#!/usr/bin/env bash
# Redundancy costs, side by side in one run on the same machine: the same random file uploaded to a pool of
# local remotes without redundancy and with k+m parity (default 4+2), then downloaded from the parity pool healthy
# and with m remotes deleted (every missing byte rebuilt on the fly). Prints MB/s, the ratios the issue asks for
# (parity upload >= 0.8 of none; degraded download >= 0.5 of healthy), peak resident memory, the CPU time of each
# transfer (user + system, of the best round: steadier than MB/s on a shared machine) and the load average.
#
#   bench/redundancy.sh [--size-mb 512] [--chunk-mb 64] [--remotes 6] [--k 4] [--m 2] [--workers 4] [--rounds 3]
#
# Each round runs every transfer back to back; the best time of each over the rounds is kept (the machine may be shared).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=lib/common.sh
source "$root/bench/lib/common.sh"
size_mb=512 chunk_mb=64 remotes=6 k=4 m=2 workers=4 rounds=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --size-mb) size_mb="$2"; shift 2 ;;
    --chunk-mb) chunk_mb="$2"; shift 2 ;;
    --remotes) remotes="$2"; shift 2 ;;
    --k) k="$2"; shift 2 ;;
    --m) m="$2"; shift 2 ;;
    --workers) workers="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
(( remotes >= k + m )) || { echo "bench: $k+$m parity needs at least $((k + m)) remotes" >&2; exit 2; }

"$root/scripts/install-deps.sh" rclone
work="$(mktemp -d "${BENCH_DIR:-/tmp}/rclonepool-redundancy.XXXXXX")"
trap 'rm -rf "$work"' EXIT
echo "bench: ${size_mb} MiB file, ${chunk_mb} MiB chunks, ${remotes} local remotes, parity ${k}+${m}, ${workers} workers; work dir $work"

"$root/rclonepool" --help >/dev/null
cli() { local name="$1"; shift; dotnet "$root/.build/cli/rclonepool.dll" --config "$work/$name.json" --no-progress "$@"; }
# One measured CLI run (timed LOG POOL ARGS...): its log gets the peak RSS and, with GNU time installed, the CPU seconds it used.
timed() {
  local log="$1" name="$2"; shift 2
  local run=(dotnet "$root/.build/cli/rclonepool.dll" --config "$work/$name.json" --no-progress "$@")
  if [[ -x /usr/bin/time ]]; then
    RCLONEPOOL_REPORT_PEAK_RSS=1 /usr/bin/time -f "cpu_seconds=%U %S" -a -o "$log.cpu" "${run[@]}" 2>"$log"
  else
    RCLONEPOOL_REPORT_PEAK_RSS=1 "${run[@]}" 2>"$log"
  fi
}
load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?"; }
echo "bench: load average at start $(load)"

head -c $((size_mb * 1024 * 1024)) /dev/urandom > "$work/source.bin"
make_pool() {
  local name="$1" mode="$2" list=()
  for i in $(seq 1 "$remotes"); do mkdir -p "$work/$name/r$i"; list+=("\"$work/$name/r$i\""); done
  cat > "$work/$name.json" <<JSON
{
  "remotes": [$(IFS=,; echo "${list[*]}")],
  "chunk_size": $((chunk_mb * 1024 * 1024)),
  "manifest_cache_dir": "$work/$name-cache",
  "temp_dir": "$work/tmp",
  "max_parallel_workers": $workers,
  "redundancy_mode": "$mode",
  "parity_data_shards": $k,
  "parity_parity_shards": $m
}
JSON
  cli "$name" init >/dev/null
}
make_pool none none
make_pool parity parity

elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { print b - a }'; }
rate() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", b / 1e6 / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
peak() { sed -n 's/^peak_rss_bytes=//p' "$1" | tail -1 | awk '{ printf "%d", $1 / 1048576 }'; }
# The least CPU (user + system seconds) of a transfer over the rounds, or "?" without GNU time.
cpu() { [[ -f "$1.cpu" ]] && sed -n 's/^cpu_seconds=//p' "$1.cpu" | awk 'NR == 1 || $1 + $2 < m { m = $1 + $2 } END { printf "%.2f", m }' || echo "?"; }
bytes=$((size_mb * 1024 * 1024))

none_up="" parity_up="" healthy_down=""
for round in $(seq 1 "$rounds"); do
  for name in none parity; do cli "$name" delete /bench.bin >/dev/null 2>&1 || true; done
  sync
  t0=$(now); timed "$work/none-up.log" none upload "$work/source.bin" /bench.bin; t1=$(now)
  none_up=$(best "$none_up" "$(elapsed "$t0" "$t1")")
  sync
  t0=$(now); timed "$work/parity-up.log" parity upload "$work/source.bin" /bench.bin; t1=$(now)
  parity_up=$(best "$parity_up" "$(elapsed "$t0" "$t1")")
  rm -f "$work/out.bin"; sync
  t0=$(now); timed "$work/healthy-down.log" parity download /bench.bin "$work/out.bin"; t1=$(now)
  healthy_down=$(best "$healthy_down" "$(elapsed "$t0" "$t1")")
  cmp "$work/source.bin" "$work/out.bin" || { echo "bench: healthy download differs from the source!" >&2; exit 1; }
  echo "bench: round $round done (load average $(load))"
done

# Degraded: the first m remotes of the parity pool vanish; every read rebuilds their shards from parity.
for i in $(seq 1 "$m"); do rm -rf "$work/parity/r$i"; done
degraded_down=""
for round in $(seq 1 "$rounds"); do
  rm -f "$work/out.bin"; sync
  t0=$(now); timed "$work/degraded-down.log" parity download /bench.bin "$work/out.bin"; t1=$(now)
  degraded_down=$(best "$degraded_down" "$(elapsed "$t0" "$t1")")
  cmp "$work/source.bin" "$work/out.bin" || { echo "bench: degraded download differs from the source!" >&2; exit 1; }
done

nu=$(rate $bytes "$none_up") pu=$(rate $bytes "$parity_up") hd=$(rate $bytes "$healthy_down") dd=$(rate $bytes "$degraded_down")
echo "upload   none=${nu} MB/s  parity${k}+${m}=${pu} MB/s  ratio=$(ratio "$pu" "$nu")  (target >= 0.8)"
echo "download parity${k}+${m} healthy=${hd} MB/s  degraded(${m} remotes gone)=${dd} MB/s  ratio=$(ratio "$dd" "$hd")  (target >= 0.5)"
echo "peak RSS: upload none $(peak "$work/none-up.log") MiB, parity $(peak "$work/parity-up.log") MiB; download healthy $(peak "$work/healthy-down.log") MiB, degraded $(peak "$work/degraded-down.log") MiB"
echo "CPU s (user+sys, least of the rounds): upload none $(cpu "$work/none-up.log"), parity $(cpu "$work/parity-up.log"); download healthy $(cpu "$work/healthy-down.log"), degraded $(cpu "$work/degraded-down.log")"
echo "bench: load average at the end $(load)"
