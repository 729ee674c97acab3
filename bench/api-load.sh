#!/usr/bin/env bash
# Load on the REST API (issue 16): wrk with 50 connections on GET /api/v1/status and on a listing of a directory of
# 10,000 files, against `rclonepool api` over a pool of three local-directory remotes driven by real rclone.
# Side by side: the same directory as WebDAV PROPFIND Depth 1 from `rclonepool serve` (what a client reads without the API).
# Prints requests/s and p50/p99 latency of each. Usage: bench/api-load.sh [seconds per run, default 10]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
duration="${1:-10}"
work="$(mktemp -d /tmp/rclonepool-api-load.XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do while kill -0 "$p" 2>/dev/null; do sleep 0.2; done; done
  rm -rf "$work"
}
trap cleanup EXIT
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

mkdir -p "$work"/{r1,r2,r3,cache,tmp,src/many}
cat >"$work/config.json" <<JSON
{"remotes":["$work/r1","$work/r2","$work/r3"],"manifest_cache_dir":"$work/cache","temp_dir":"$work/tmp","show_progress":false,"log_level":"WARNING"}
JSON
rp() { "$root/rclonepool" --config "$work/config.json" "$@"; }
rp init >/dev/null
for i in $(seq -w 1 10000); do printf '%s' "$i" >"$work/src/many/f$i.txt"; done
start=$(date +%s.%N)
rp upload --parallel "$work/src/many" /many >/dev/null
echo "uploaded 10,000 small files through the pool in $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s"

port_of() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
api_port=$(port_of); dav_port=$(port_of)
# Started directly (not through the rp function) so that $! is the server itself and the cleanup stops it.
"$root/rclonepool" --config "$work/config.json" api --port "$api_port" >"$work/api.log" 2>&1 & pids+=($!)
"$root/rclonepool" --config "$work/config.json" serve --port "$dav_port" >"$work/serve.log" 2>&1 & pids+=($!)
for url in "http://127.0.0.1:$api_port/healthz" "http://127.0.0.1:$dav_port/healthz"; do
  for _ in $(seq 1 150); do curl -fs "$url" >/dev/null && break; sleep 0.2; done
done
count=$(curl -fs "http://127.0.0.1:$api_port/api/v1/files?dir=/many&limit=10000" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["entries"]))')
echo "listing check: $count entries in /many"

cat >"$work/propfind.lua" <<'LUA'
wrk.method = "PROPFIND"
wrk.headers["Depth"] = "1"
LUA
run() { # name, url, [wrk script]
  local out
  out=$(wrk -t2 -c50 -d"${duration}s" --timeout 30s --latency ${3:+-s "$3"} "$2")
  printf '%-48s %10s req/s   p50 %9s   p99 %9s\n' "$1" \
    "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '$1=="50%" {print $2}' <<<"$out")" \
    "$(awk '$1=="99%" {print $2}' <<<"$out")"
}
echo "wrk, 2 threads, 50 connections, 30 s request timeout, ${duration} s each; $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
run "GET /api/v1/status" "http://127.0.0.1:$api_port/api/v1/status"
run "GET /api/v1/files?dir=/many (1,000 per page)" "http://127.0.0.1:$api_port/api/v1/files?dir=/many"
run "GET /api/v1/files?dir=/many&limit=10000" "http://127.0.0.1:$api_port/api/v1/files?dir=/many&limit=10000"
run "PROPFIND Depth 1 /many/ (WebDAV serve)" "http://127.0.0.1:$dav_port/many/" "$work/propfind.lua"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
