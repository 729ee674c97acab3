#!/usr/bin/env bash
# Objects written per 1,000 small files on cloud-like remotes (issue 19), manifest_packing off and on, one run: each
# remote is an `rclone serve webdav DIR --bwlimit B` behind bench/DelayProxy (a round trip on every call, like a cloud
# account; see bench/cloud-vs-rclone.sh). For each setting a fresh pool (its own directory on every remote) gets
# `rclonepool upload --parallel DIR` of --files files of --size bytes; the bench counts the objects the remotes then
# hold (data, manifests, other), times the upload, then runs `rclonepool index compact` and counts the manifests again.
#
#   bench/manifest-objects.sh [--remotes 4] [--files 1000] [--size 16384] [--bwlimit 16] [--rtt-ms 80] [--rt]
#
# Files up to 4 KiB are held inside their manifests (no data object). --rt runs the measured commands under
# `chrt -r 5`. Work files go under $BENCH_DIR (default /tmp) and are removed at the end.
set -Eeuo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
remotes=4 files=1000 size=16384 bwlimit=16 rtt_ms=80 rt=()
trap 'echo "manifest-objects.sh: line $LINENO: \`$BASH_COMMAND\` failed with exit status $?" >&2' ERR
while [[ $# -gt 0 ]]; do
  case "$1" in
    --remotes) remotes="$2"; shift 2 ;;
    --files) files="$2"; shift 2 ;;
    --size) size="$2"; shift 2 ;;
    --bwlimit) bwlimit="$2"; shift 2 ;;
    --rtt-ms) rtt_ms="$2"; shift 2 ;;
    --rt) rt=(chrt -r 5); shift ;;
    -h|--help) sed -n '2,/^set -Eeuo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

"$root/scripts/install-deps.sh" rclone curl
"$root/rclonepool" --help >/dev/null # builds the CLI once, outside the timings
dll="$root/.build/cli/rclonepool.dll"
work="$(mktemp -d "${BENCH_DIR:-/tmp}/rclonepool-manifest-objects.XXXXXX")"
dotnet build -c Release -nologo -v q -o "$work/proxy" "$root/bench/DelayProxy/DelayProxy.csproj" >"$work/proxy-build.log" 2>&1 \
  || { cat "$work/proxy-build.log" >&2; echo "bench: DelayProxy does not build" >&2; exit 1; }

pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -TERM -- "-$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
die() { echo "bench: $*" >&2; exit 1; }
start() { local name="$1"; shift; setsid "$@" >"$work/$name.log" 2>&1 & pids+=("$!"); }

# The remotes: rclone serve webdav per directory, all behind one DelayProxy (a listening port per remote).
proxy_args=()
for i in $(seq 1 "$remotes"); do
  mkdir -p "$work/remote$i"
  start "remote$i" rclone serve webdav "$work/remote$i" --addr 127.0.0.1:0 --bwlimit "${bwlimit}M"
done
for i in $(seq 1 "$remotes"); do
  address=""
  for _ in $(seq 1 600); do
    address=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$work/remote$i.log" | head -1 || true)
    [[ -n "$address" ]] && break
    sleep 0.1
  done
  [[ -n "$address" ]] || { cat "$work/remote$i.log" >&2; die "remote$i did not start"; }
  port=${address#http://127.0.0.1:}
  proxy_args+=(--listen 127.0.0.1:0 --target "127.0.0.1:${port%/}")
done
start proxy dotnet "$work/proxy/DelayProxy.dll" --delay-ms "$(awk -v r="$rtt_ms" 'BEGIN { print r / 2 }')" "${proxy_args[@]}"
for _ in $(seq 1 600); do grep -q '^DelayProxy ready' "$work/proxy.log" && break; sleep 0.1; done
grep -q '^DelayProxy ready' "$work/proxy.log" || { cat "$work/proxy.log" >&2; die "the delay proxy did not start"; }
mapfile -t proxied < <(sed -n 's/^listening \(127\.0\.0\.1:[0-9]*\) -> .*/\1/p' "$work/proxy.log")
[[ ${#proxied[@]} -eq $remotes ]] || die "the delay proxy listens on ${#proxied[@]} ports, not $remotes"
: >"$work/rclone.conf"
for i in $(seq 1 "$remotes"); do printf '[cloud%d]\ntype = webdav\nurl = http://%s/\nvendor = other\n\n' "$i" "${proxied[$((i - 1))]}" >>"$work/rclone.conf"; done
export RCLONE_CONFIG="$work/rclone.conf"

mkdir -p "$work/src"
python3 - "$work/src" "$files" "$size" <<'PY'
import os, sys
src, files, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for n in range(files):
    with open(os.path.join(src, f"f{n:06d}.bin"), "wb") as f:
        f.write(os.urandom(size))
PY
echo "manifest objects: $files files of $size B, upload --parallel, $remotes cloud-like remotes (rclone serve webdav --bwlimit ${bwlimit}M, +$rtt_ms ms round trip)"
echo "                  $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# count MODE KIND : objects of that kind (data, manifests, other) the pool of MODE holds on all remotes together.
count() {
  local pattern
  case "$2" in
    data) pattern='*/rclonepool_data/*' ;;
    manifests) pattern='*/rclonepool_manifests/*' ;;
  esac
  if [[ "$2" == other ]]; then
    { find "$work"/remote*/"$1" -type f -not -path '*/rclonepool_data/*' -not -path '*/rclonepool_manifests/*' 2>/dev/null || true; } | wc -l
  else
    { find "$work"/remote*/"$1" -type f -path "$pattern" 2>/dev/null || true; } | wc -l
  fi
}
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

rows=()
for mode in off on; do
  list=()
  for i in $(seq 1 "$remotes"); do list+=("\"cloud$i:$mode\""); done
  cat >"$work/pool-$mode.json" <<JSON
{
  "remotes": [$(IFS=,; echo "${list[*]}")],
  "manifest_cache_dir": "$work/cache-$mode",
  "temp_dir": "$work/tmp-$mode",
  "manifest_packing": $([[ $mode == on ]] && echo true || echo false),
  "show_progress": false,
  "log_level": "WARNING"
}
JSON
  pool=(dotnet "$dll" --config "$work/pool-$mode.json" --no-progress)
  "${pool[@]}" init >"$work/init-$mode.log" 2>&1 || { cat "$work/init-$mode.log" >&2; die "init ($mode) failed"; }
  base=$(count "$mode" other)
  t0=$(date +%s.%N)
  "${rt[@]}" "${pool[@]}" upload --parallel "$work/src" /small >"$work/upload-$mode.log" 2>&1 || { tail -20 "$work/upload-$mode.log" >&2; die "upload ($mode) failed"; }
  upload_secs=$(elapsed "$t0")
  listed=$("${pool[@]}" ls /small | wc -l)
  [[ $listed -eq $files ]] || die "packing $mode: $listed files listed after the upload, not $files"
  data=$(count "$mode" data) manifests=$(count "$mode" manifests) other=$(( $(count "$mode" other) - base ))
  t0=$(date +%s.%N)
  "${rt[@]}" "${pool[@]}" index compact >"$work/compact-$mode.log" 2>&1 || { tail -20 "$work/compact-$mode.log" >&2; die "index compact ($mode) failed"; }
  compact_secs=$(elapsed "$t0")
  after=$(count "$mode" manifests)
  rows+=("$(printf '%-8s %10s %8s %10s %8s %12s   %s' "$mode" "${upload_secs} s" "$data" "$manifests" "$other" "$after" "index compact ${compact_secs} s")")
done

echo
printf '%-8s %10s %8s %10s %8s %12s   %s\n' "packing" "upload" "data" "manifests" "other" "manifests" "notes"
printf '%-8s %10s %8s %10s %8s %12s\n' "" "" "objects" "objects" "objects" "after compact"
printf '%s\n' "${rows[@]}"
echo "(objects on all $remotes remotes together; divide by $remotes for one account; load average after: $(cut -d' ' -f1-3 /proc/loadavg))"
