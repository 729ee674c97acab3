#!/usr/bin/env bash
# The cost of the WebSocket event feed (issue 16): one `rclonepool serve` over N local-directory remotes (rclone rcd),
# a file of --size-mb MiB PUT through WebDAV (curl -T), in --rounds rounds of two uploads each: one with no
# subscriber, one with --clients WebSocket subscribers of every topic (bench/WsSubscribers, reading everything; they
# connect before and leave after that upload). The order alternates per round (none first in odd rounds), so drift of a
# noisy machine falls on both. Prints each upload's MiB/s, the ratio with/without per round and over all rounds (sum of
# times; target: within 10 %), what the subscribers received, and the server's resident memory (VmRSS sampled every
# 0.2 s during each upload, and VmHWM at the end). The load average is printed with each figure: on a shared machine
# they move.
#
#   bench/ws-subscribers.sh [--size-mb 1024] [--clients 100] [--rounds 3] [--chunk-mb 100] [--remotes 3]
#
# Environment: BENCH_DIR (default /tmp) holds the remotes and the source file; temp_dir under /dev/shm.
set -euo pipefail
size_mb=1024 clients=100 rounds=3 chunk_mb=100 remotes=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --size-mb) size_mb="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --chunk-mb) chunk_mb="$2"; shift 2 ;;
    --remotes) remotes="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh" rclone curl
work="$(mktemp -d "${BENCH_DIR:-/tmp}/rclonepool-ws-bench.XXXXXX")"
shm="/dev/shm/$(basename "$work")"
server_pid="" subs_pid="" sampler_pid=""
cleanup() {
  for p in $sampler_pid $subs_pid $server_pid; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
  rm -rf "$work" "$shm"
}
trap cleanup EXIT

dotnet build -c Release -nologo -v q -o "$work/subs" "$root/bench/WsSubscribers/WsSubscribers.csproj" >"$work/subs-build.log" 2>&1 \
  || { cat "$work/subs-build.log" >&2; echo "bench: WsSubscribers does not build" >&2; exit 1; }
"$root/rclonepool" --help >/dev/null

remote_list=""
for i in $(seq 1 "$remotes"); do mkdir -p "$work/r$i"; remote_list+="\"$work/r$i\","; done
cat >"$work/config.json" <<JSON
{"remotes":[${remote_list%,}],"chunk_size":"${chunk_mb}M","manifest_cache_dir":"$work/index","temp_dir":"$shm",
 "show_progress":false,"webdav_port":0,"enable_health_monitoring":false}
JSON
rp() { "$root/rclonepool" --config "$work/config.json" "$@"; }
rp init >/dev/null
head -c "$((size_mb * 1024 * 1024))" /dev/urandom >"$work/file.bin"

"$root/rclonepool" --config "$work/config.json" serve --port 0 >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do grep -q 'WebDAV on' "$work/serve.log" && break; sleep 0.1; done
url="$(grep -o 'http://[^ ]*' "$work/serve.log" | head -1)"
ws="ws://${url#http://}_rclonepool/ws"
echo "ws-subscribers: ${size_mb} MiB PUT through WebDAV, ${chunk_mb} MiB chunks, $remotes local remotes, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# $1: label, $2: pool path. Prints "SECONDS MIB/S" on stdout; the figures and the peak VmRSS sampled during the upload on stderr.
upload() {
  echo 0 >"$work/peak"
  ( peak=0; while :; do r=$(awk '/VmRSS/{print $2}' "/proc/$server_pid/status" 2>/dev/null || echo 0); (( r > peak )) && { peak=$r; echo "$peak" >"$work/peak"; }; sleep 0.2; done ) &
  sampler_pid=$!
  local t
  t=$(curl -sS -o /dev/null -w '%{http_code} %{time_total}' -T "$work/file.bin" "$url${2#/}")
  kill "$sampler_pid"; wait "$sampler_pid" 2>/dev/null || true; sampler_pid=""
  [[ ${t%% *} == 201 ]] || { echo "bench: PUT $2 answered ${t%% *}" >&2; tail "$work/serve.log" >&2; exit 1; }
  local secs=${t#* }
  local rate
  rate=$(awk -v s="$size_mb" -v t="$secs" 'BEGIN{printf "%.1f", s/t}')
  printf '  %-36s %7.1f s  %7s MiB/s  server peak RSS %4d MiB  (load %s)\n' "$1" "$secs" "$rate" $(( $(cat "$work/peak") / 1024 )) "$(cut -d' ' -f1 /proc/loadavg)" >&2
  echo "$secs $rate"
}

# Prints "SECONDS MIB/S" on stdout, the line of figures on stderr.
with_subscribers() {
  dotnet "$work/subs/WsSubscribers.dll" --url "$ws" --clients "$clients" >"$work/subs.log" 2>&1 &
  subs_pid=$!
  for _ in $(seq 1 600); do grep -q 'WsSubscribers ready' "$work/subs.log" && break; kill -0 "$subs_pid" 2>/dev/null || break; sleep 0.1; done
  grep -q 'WsSubscribers ready' "$work/subs.log" || { cat "$work/subs.log" >&2; echo "bench: the subscribers did not connect" >&2; exit 1; }
  upload "$clients subscribers (all topics)" "$1"
  sleep 1.5 # one more stats tick reaches the subscribers
  kill -TERM "$subs_pid"; wait "$subs_pid" 2>/dev/null || true; subs_pid=""
  echo "    subscribers: $(grep '^WsSubscribers:' "$work/subs.log" | sed 's/^WsSubscribers: //')" >&2
}

t_alone=0 t_with=0
for r in $(seq 1 "$rounds"); do
  if (( r % 2 == 1 )); then
    a=$(upload "round $r: no subscribers" "/a$r.bin"); w=$(with_subscribers "/w$r.bin")
  else
    w=$(with_subscribers "/w$r.bin"); a=$(upload "round $r: no subscribers" "/a$r.bin")
  fi
  awk -v a="${a% *}" -v w="${w% *}" 'BEGIN{printf "    round ratio with/without: %.3f\n", a/w}'
  t_alone=$(awk -v x="$t_alone" -v y="${a% *}" 'BEGIN{print x+y}'); t_with=$(awk -v x="$t_with" -v y="${w% *}" 'BEGIN{print x+y}')
  "$root/rclonepool" --config "$work/config.json" delete "/a$r.bin" >/dev/null 2>&1 || true
  "$root/rclonepool" --config "$work/config.json" delete "/w$r.bin" >/dev/null 2>&1 || true
done
awk -v a="$t_alone" -v w="$t_with" -v n="$rounds" -v s="$size_mb" 'BEGIN{printf "  all rounds: without %.1f MiB/s, with %.1f MiB/s, ratio with/without %.3f (target >= 0.90)\n", n*s/a, n*s/w, a/w}'
echo "  server VmHWM (peak resident, whole run): $(( $(awk '/VmHWM/{print $2}' "/proc/$server_pid/status") / 1024 )) MiB"
