#!/usr/bin/env bash
# What a storage_backend plugin remote costs: the same random file uploaded and downloaded through a pool of local
# remotes all reached through rclone ("rclone"), and through a pool whose last remote is the sample plugin
# storage_backend:directory ("plugin=directory", every call guarded by a time-out); with copies 1 (each chunk on one
# remote) and 2; beside rclone's chunker over union of as many local remotes (what a user would run instead). Best of
# --rounds; ratios to the pool without a plugin remote.
#
#   bench/storage-backend.sh [--size-mb 256] [--chunk-mb 16] [--remotes 3] [--rounds 3]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=lib/common.sh
source "$root/bench/lib/common.sh"
size_mb=256 chunk_mb=16 remotes=3 rounds=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --size-mb) size_mb="$2"; shift 2 ;;
    --chunk-mb) chunk_mb="$2"; shift 2 ;;
    --remotes) remotes="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

"$root/scripts/install-deps.sh" rclone
"$root/rclonepool" --help >/dev/null
dotnet build "$root/samples/plugins/DirectoryStore" -c Release --nologo -v q >/dev/null

work="$(mktemp -d "${BENCH_DIR:-/tmp}/rclonepool-backend-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
head -c $((size_mb * 1024 * 1024)) /dev/urandom > "$work/source.bin"
echo "bench: ${size_mb} MiB file, ${chunk_mb} MiB chunks, ${remotes} remotes, best of ${rounds}; work dir $work; load average $(cut -d' ' -f1-3 /proc/loadavg)"

make_pool() { # name, copies, plugin (yes/no)
  local name="$1" copies="$2" plugin="$3" dirs=() locals="$remotes"
  [[ "$plugin" == yes ]] && locals=$((remotes - 1))
  for i in $(seq 1 "$locals"); do mkdir -p "$work/$name/r$i"; dirs+=("\"$work/$name/r$i\""); done
  [[ "$plugin" == yes ]] && dirs+=('"plugin=directory"')
  mkdir -m 700 -p "$work/$name/plugins"
  local redundancy='"redundancy_mode": "none"'
  [[ "$copies" -gt 1 ]] && redundancy="\"redundancy_mode\": \"replication\", \"replication_factor\": $copies"
  cat > "$work/$name/pool.json" <<JSON
{
  "remotes": [$(IFS=,; echo "${dirs[*]}")],
  "chunk_size": $((chunk_mb * 1024 * 1024)),
  "manifest_cache_dir": "$work/$name/cache",
  "temp_dir": "$work/$name/tmp",
  $redundancy,
  "enable_plugins": true,
  "plugins_dir": "$work/$name/plugins",
  "enabled_plugins": ["storage_backend:directory"],
  "plugin_settings": {"storage_backend:directory": {"path": "$work/$name/store"}},
  "plugin_timeout": 60,
  "log_level": "WARNING"
}
JSON
  pool "$name" plugins load "$root/samples/plugins/DirectoryStore/bin/Release/net10.0/DirectoryStore.dll" >/dev/null
  pool "$name" init >/dev/null
}
pool() { local name="$1"; shift; dotnet "$root/.build/cli/rclonepool.dll" --config "$work/$name/pool.json" --no-progress "$@"; }

make_pool rclone1 1 no
make_pool plugin1 1 yes
make_pool rclone2 2 no
make_pool plugin2 2 yes

union=()
for i in $(seq 1 "$remotes"); do mkdir -p "$work/union/u$i"; union+=("$work/union/u$i"); done
write_chunker_over_union "$work/rclone.conf" "$chunk_mb" "${union[@]}"

declare -A up down
variants=(rclone1 plugin1 rclone2 plugin2)
for round in $(seq 1 "$rounds"); do
  for name in "${variants[@]}"; do
    pool "$name" delete /source.bin >/dev/null 2>&1 || true
    rm -f "$work/out.bin"
    t0=$(now); pool "$name" upload "$work/source.bin" /source.bin; t1=$(now)
    up[$name]=$(best "${up[$name]:-}" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")
    t0=$(now); pool "$name" download /source.bin "$work/out.bin"; t1=$(now)
    down[$name]=$(best "${down[$name]:-}" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")
    cmp "$work/source.bin" "$work/out.bin" || { echo "bench: $name: the download differs from the source!" >&2; exit 1; }
  done
  RCLONE_CONFIG="$work/rclone.conf" rclone purge ch:bench >/dev/null 2>&1 || true
  rm -f "$work/out.bin"
  t0=$(now); RCLONE_CONFIG="$work/rclone.conf" rclone copyto "$work/source.bin" ch:bench/source.bin; t1=$(now)
  up[chunker]=$(best "${up[chunker]:-}" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")
  t0=$(now); RCLONE_CONFIG="$work/rclone.conf" rclone copyto ch:bench/source.bin "$work/out.bin"; t1=$(now)
  down[chunker]=$(best "${down[chunker]:-}" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")
  echo "bench: round $round done"
done

echo "plugin1: chunk objects in the plugin's store: $(find "$work/plugin1/store" -path '*rclonepool_data*' -type f | wc -l) of $(find "$work/plugin1" -path '*rclonepool_data*' -type f | wc -l)"
bytes=$((size_mb * 1024 * 1024))
printf '%-10s %12s %14s %10s %10s\n' variant "upload MB/s" "download MB/s" "up ratio" "down ratio"
for name in "${variants[@]}" chunker; do
  base=rclone1; [[ "$name" == *2 ]] && base=rclone2
  awk -v n="$name" -v b="$bytes" -v u="${up[$name]}" -v d="${down[$name]}" -v pu="${up[$base]}" -v pd="${down[$base]}" \
    'BEGIN { printf "%-10s %12.1f %14.1f %10.2f %10.2f\n", n, b / 1e6 / u, b / 1e6 / d, pu / u, pd / d }'
done
echo "(ratios: the time of the pool without a plugin remote and the same copies over the variant's; chunker = rclone chunker over union, against rclone1)"
