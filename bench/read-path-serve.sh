#!/usr/bin/env bash
# Measures the read path through the real server: `rclonepool serve` over N local-directory remotes (rclone rcd),
# cache off and on: one full GET (MiB/s), 50 sequential 64 KiB Range requests at random offsets (time to first
# byte, median/p95), and 32 concurrent streaming GETs (aggregate MiB/s, and the server's peak resident memory).
# Usage: bench/read-path-serve.sh [--size-mb 1024] [--chunk-mb 100] [--remotes 3] [--dll PATH]
# --dll: the rclonepool build to run (its rclonepool.dll; default: this checkout's ./rclonepool).
set -euo pipefail
size_mb=1024 chunk_mb=100 remotes=3 dll=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --size-mb) size_mb="$2"; shift 2 ;;
    --chunk-mb) chunk_mb="$2"; shift 2 ;;
    --remotes) remotes="$2"; shift 2 ;;
    --dll) dll="$(readlink -f "$2")"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /tmp/rclonepool-serve-bench.XXXXXX)"
shm="/dev/shm/$(basename "$work")"
server_pid=""
cleanup() { [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; rm -rf "$work" "$shm"; }
trap cleanup EXIT

remote_list=""
for i in $(seq 1 "$remotes"); do mkdir -p "$work/r$i"; remote_list+="\"$work/r$i\","; done
config() { # $1: enable_chunk_cache
  cat >"$work/config.json" <<JSON
{"remotes":[${remote_list%,}],"chunk_size":"${chunk_mb}M","manifest_cache_dir":"$work/index","temp_dir":"$shm",
 "enable_chunk_cache":$1,"show_progress":false,"webdav_port":0}
JSON
}
cli=("$root/rclonepool")
[[ -n "$dll" ]] && cli=(dotnet "$dll")
rp() { "${cli[@]}" --config "$work/config.json" "$@"; }

config true
rp init >/dev/null
head -c "$((size_mb * 1024 * 1024))" /dev/urandom >"$work/file.bin"
rp upload "$work/file.bin" /file.bin >/dev/null
size=$((size_mb * 1024 * 1024))
echo "read-path-serve: ${size_mb} MiB file, ${chunk_mb} MiB chunks, $remotes local remotes, $(nproc) cores"

for cache in false true; do
  config "$cache"
  "${cli[@]}" --config "$work/config.json" serve --port 0 >"$work/serve.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 200); do grep -q 'WebDAV on' "$work/serve.log" && break; sleep 0.1; done
  url="$(grep -o 'http://[^ ]*' "$work/serve.log" | head -1)"
  pid="$server_pid"
  echo "cache $([[ $cache == true ]] && echo on || echo off):"

  t="$(curl -s -o /dev/null -w '%{time_total}' "${url}file.bin")"
  echo "  full GET            $(awk -v s="$size" -v t="$t" 'BEGIN{printf "%.0f MiB/s (%.2f s)", s/1048576/t, t}')"

  for pass in 1 2; do
    RANDOM=7
    : >"$work/ttfb"
    for _ in $(seq 1 50); do
      off=$(( (RANDOM * 32768 + RANDOM) % (size - 65536) ))
      curl -s -o /dev/null -w '%{time_starttransfer}\n' -H "Range: bytes=$off-$((off + 65535))" "${url}file.bin" >>"$work/ttfb"
    done
    sort -n "$work/ttfb" | awk -v p="$pass" '{a[NR]=$1} END{printf "  64 KiB seek, pass %d  TTFB median %.2f ms, p95 %.2f ms\n", p, a[int(NR/2)+1]*1000, a[int(NR*0.95)]*1000}'
  done

  each=$((size / 4)) peak=0
  start=$(date +%s.%N)
  pids=()
  for i in $(seq 0 31); do
    off=$(( i * (size - each) / 31 ))
    curl -s -o /dev/null -H "Range: bytes=$off-$((off + each - 1))" "${url}file.bin" &
    pids+=($!)
  done
  while kill -0 "${pids[@]}" 2>/dev/null; do
    rss=$(awk '/VmRSS/{print $2}' "/proc/$pid/status"); (( rss > peak )) && peak=$rss
    sleep 0.05
  done
  wait "${pids[@]}" || true
  end=$(date +%s.%N)
  echo "  32 concurrent GETs  $(awk -v b=$((32 * each)) -v t="$(echo "$end - $start" | bc)" 'BEGIN{printf "%.0f MiB/s aggregate (%.1f s)", b/1048576/t, t}'), server peak RSS $((peak / 1024)) MiB, high-water $(( $(awk '/VmHWM/{print $2}' "/proc/$pid/status") / 1024 )) MiB"

  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
done
