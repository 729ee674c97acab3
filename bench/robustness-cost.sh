#!/usr/bin/env bash
# What verify, verify --quick, orphans, repair and index rebuild cost on a pool of N small files: wall time and the
# remote calls each command reports (listings, manifest reads, chunk reads, writes).
#
#   bench/robustness-cost.sh [--files 1000] [--size-kb 100] [--chunk-kb 64] [--remotes 3] [--transport rcd|cli]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
files=1000 size_kb=100 chunk_kb=64 remotes=3 transport=rcd
while [[ $# -gt 0 ]]; do
  case "$1" in
    --files) files="$2"; shift 2 ;;
    --size-kb) size_kb="$2"; shift 2 ;;
    --chunk-kb) chunk_kb="$2"; shift 2 ;;
    --remotes) remotes="$2"; shift 2 ;;
    --transport) transport="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

"$root/scripts/install-deps.sh" rclone
work="$(mktemp -d "${BENCH_DIR:-/tmp}/rclonepool-cost.XXXXXX")"
trap 'rm -rf "$work"' EXIT
"$root/rclonepool" --help >/dev/null
pool() { dotnet "$root/.build/cli/rclonepool.dll" --config "$work/pool.json" --no-progress "$@"; }

list=()
for i in $(seq 1 "$remotes"); do mkdir -p "$work/r$i"; list+=("\"$work/r$i\""); done
daemon=true; [[ "$transport" == cli ]] && daemon=false
cat > "$work/pool.json" <<JSON
{"remotes": [$(IFS=,; echo "${list[*]}")], "chunk_size": $((chunk_kb * 1024)), "manifest_cache_dir": "$work/cache",
 "temp_dir": "$work/tmp", "enable_rclone_daemon": $daemon, "show_progress": false}
JSON
pool init >/dev/null
mkdir -p "$work/src"
for i in $(seq 1 "$files"); do head -c $((size_kb * 1024)) /dev/urandom > "$work/src/f$i.bin"; done

echo "robustness cost: $files files of $size_kb KiB, $chunk_kb KiB chunks, $remotes local remotes, transport $transport; load $(cut -d' ' -f1-3 /proc/loadavg)"
timed() { # label, command...
  local start end out
  start=$(date +%s.%N)
  out="$("${@:2}" 2>&1)" || true
  end=$(date +%s.%N)
  local calls
  calls="$(grep -oE '"remote_calls": [0-9]+|\([0-9]+ remote calls\)' <<<"$out" | grep -oE '[0-9]+' | head -1 || true)"
  printf '%-34s %7.1f s   %s remote calls\n' "$1" "$(echo "$end - $start" | bc)" "${calls:--}"
}
timed "upload (directory, $files files)" pool upload "$work/src" /data
timed "verify (full)" pool verify --json
timed "verify --quick" pool verify --quick --json
timed "verify /data/f1.bin (one file)" pool verify --json /data/f1.bin
timed "orphans" pool orphans --json
timed "orphans --delete (nothing to do)" pool orphans --delete --min-age 0 --json
timed "index rebuild" pool index rebuild
victim="$(find "$work/r1/rclonepool_data" -type f -print -quit)"
printf 'x' | dd of="$victim" bs=1 seek=100 conv=notrunc status=none
damaged="$( (pool verify --json || true) | grep -oE '"path": "[^"]+"' | head -1 | cut -d'"' -f4)"
timed "repair $damaged" pool repair "$damaged" "$work/src/$(basename "$damaged")"
pool verify --quick >/dev/null && echo "after repair: verify --quick clean"
