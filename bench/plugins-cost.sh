#!/usr/bin/env bash
# What plugins and event_commands cost: the same random file uploaded and downloaded through one pool of local remotes
# as it is, with the sample transformer (transformer:xor, every stored block through the plugin, each call guarded by a
# time-out), with the test encryption plugin (encryption:aesgcm, AES-256-GCM per block, after the compression probe finds
# random data incompressible), with the sample balancer (balancer:prefer_remote), and with an event command on every hook; beside
# rclone's chunker over union of as many local remotes (what a user would run instead). Best of --rounds; ratios to the
# plain pool.
#
#   bench/plugins-cost.sh [--size-mb 256] [--chunk-mb 16] [--remotes 3] [--rounds 3]
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
for sample in XorTransformer PreferRemoteBalancer; do
  dotnet build "$root/samples/plugins/$sample" -c Release --nologo -v q >/dev/null
done
dotnet build "$root/tests/plugins/TestCodecs" -c Release --nologo -v q >/dev/null

work="$(mktemp -d "${BENCH_DIR:-/tmp}/rclonepool-plugins-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
head -c $((size_mb * 1024 * 1024)) /dev/urandom > "$work/source.bin"
echo "bench: ${size_mb} MiB file, ${chunk_mb} MiB chunks, ${remotes} local remotes, best of ${rounds}; work dir $work"

# One pool per variant, each with its own remotes, index and plugins_dir.
make_pool() { # name, extra JSON
  local name="$1" extra="$2" dirs=()
  for i in $(seq 1 "$remotes"); do mkdir -p "$work/$name/r$i"; dirs+=("\"$work/$name/r$i\""); done
  mkdir -m 700 -p "$work/$name/plugins"
  cat > "$work/$name/pool.json" <<JSON
{
  "remotes": [$(IFS=,; echo "${dirs[*]}")],
  "chunk_size": $((chunk_mb * 1024 * 1024)),
  "manifest_cache_dir": "$work/$name/cache",
  "temp_dir": "$work/$name/tmp",
  "enable_plugins": true,
  "plugins_dir": "$work/$name/plugins",
  "log_level": "WARNING"$extra
}
JSON
  pool "$name" init >/dev/null
}
pool() { local name="$1"; shift; dotnet "$root/.build/cli/rclonepool.dll" --config "$work/$name/pool.json" --no-progress "$@"; }

make_pool plain ""
make_pool xor ', "enabled_plugins": ["transformer:xor"]'
pool xor plugins load "$root/samples/plugins/XorTransformer/bin/Release/net10.0/XorTransformer.dll" >/dev/null
make_pool aesgcm ', "enabled_plugins": ["compression:deflate", "encryption:aesgcm"], "plugin_settings": {"encryption:aesgcm": {"key": "bench"}}'
pool aesgcm plugins load "$root/tests/plugins/TestCodecs/bin/Release/net10.0/TestCodecs.dll" >/dev/null
make_pool balancer ', "enabled_plugins": ["balancer:prefer_remote"]'
pool balancer plugins load "$root/samples/plugins/PreferRemoteBalancer/bin/Release/net10.0/PreferRemoteBalancer.dll" >/dev/null
hooks='"PRE_UPLOAD": ["/bin/true"], "POST_UPLOAD": ["/bin/true"], "PRE_DOWNLOAD": ["/bin/true"], "POST_DOWNLOAD": ["/bin/true"], "PRE_DELETE": ["/bin/true"], "POST_DELETE": ["/bin/true"]'
make_pool commands ", \"event_commands\": {$hooks}"

union=()
for i in $(seq 1 "$remotes"); do mkdir -p "$work/union/u$i"; union+=("$work/union/u$i"); done
write_chunker_over_union "$work/rclone.conf" "$chunk_mb" "${union[@]}"

declare -A up down
for round in $(seq 1 "$rounds"); do
  for name in plain xor aesgcm balancer commands; do
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
  up[rclone]=$(best "${up[rclone]:-}" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")
  t0=$(now); RCLONE_CONFIG="$work/rclone.conf" rclone copyto ch:bench/source.bin "$work/out.bin"; t1=$(now)
  down[rclone]=$(best "${down[rclone]:-}" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")
  echo "bench: round $round done"
done

# Without a "remote" setting the sample balancer picks the most free space after reservations (it spreads on one disk).
echo "prefer_remote (no setting): chunk objects per remote: $(for i in $(seq 1 "$remotes"); do find "$work/balancer/r$i" -path '*rclonepool_data*' -type f | wc -l; done | paste -sd' ')"
bytes=$((size_mb * 1024 * 1024))
printf '%-10s %12s %12s %10s %10s\n' variant "upload MB/s" "download MB/s" "up ratio" "down ratio"
for name in plain xor aesgcm balancer commands rclone; do
  awk -v n="$name" -v b="$bytes" -v u="${up[$name]}" -v d="${down[$name]}" -v pu="${up[plain]}" -v pd="${down[plain]}" \
    'BEGIN { printf "%-10s %12.1f %12.1f %10.2f %10.2f\n", n, b / 1e6 / u, b / 1e6 / d, pu / u, pd / d }'
done
echo "(ratios: the plain pool's time over the variant's; rclone = chunker over union of the same number of local remotes)"
