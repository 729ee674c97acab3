#!/usr/bin/env bash
# Cost of multi-user serving (issue 18): small-file uploads (4 KiB PUTs, wrk, 4 connections, unique paths) and
# PROPFIND Depth 1 of a directory of 1,000 files (the same in every pool), against
#   1. `rclonepool serve` of one pool (what an administrator runs instead: one serve process per user),
#   2. a multi-user `serve` (users section), as a user without a quota,
#   3. the same server, as a user with a quota (every PUT reserves against the index's totals first).
# Every pool has three local-directory remotes through real rclone; basic authentication everywhere.
# Prints requests/s and p50/p99 of each and the ratios to (1). Usage: bench/multi-user.sh [seconds per run, default 10]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
duration="${1:-10}"
work="$(mktemp -d /tmp/rclonepool-multi-user.XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do while kill -0 "$p" 2>/dev/null; do sleep 0.2; done; done
  rm -rf "$work"
}
trap cleanup EXIT
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

pool_config() { # name -> a pool config with three local remotes
  mkdir -p "$work/$1"/{r1,r2,r3,cache,tmp}
  cat >"$work/$1.json" <<JSON
{"remotes":["$work/$1/r1","$work/$1/r2","$work/$1/r3"],"manifest_cache_dir":"$work/$1/cache","temp_dir":"$work/$1/tmp","show_progress":false,"log_level":"WARNING"}
JSON
  "$root/rclonepool" --config "$work/$1.json" init >/dev/null
}
for name in single alice bob; do pool_config "$name"; done

# The single pool's own server, and the multi-user server (users section first, then the users' passwords).
printf 'pw\npw\n' | "$root/rclonepool" --config "$work/single.json" user add solo >/dev/null
cat >"$work/server.json" <<JSON
{"log_level":"WARNING","users":{"alice":{"config":"$work/alice.json"},"bob":{"config":"$work/bob.json","quota_bytes":"100G","quota_files":10000000}}}
JSON
for user in alice bob; do printf 'pw\npw\n' | "$root/rclonepool" --config "$work/server.json" user add "$user" >/dev/null; done

# The directory PROPFIND lists: 1,000 files, stored with the CLI (the multi-user one through --user).
mkdir -p "$work/src/p"
for i in $(seq -w 1 1000); do printf '%s' "$i" >"$work/src/p/f$i.txt"; done
"$root/rclonepool" --config "$work/single.json" upload --parallel "$work/src/p" /p >/dev/null 2>&1
"$root/rclonepool" --config "$work/server.json" --user alice upload --parallel "$work/src/p" /p >/dev/null 2>&1

port_of() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
single_port=$(port_of); multi_port=$(port_of)
"$root/rclonepool" --config "$work/single.json" serve --auth basic --port "$single_port" >"$work/single.log" 2>&1 & pids+=($!)
"$root/rclonepool" --config "$work/server.json" serve --auth basic --port "$multi_port" >"$work/multi.log" 2>&1 & pids+=($!)
for port in "$single_port" "$multi_port"; do
  for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
done

head -c 4096 /dev/urandom | base64 -w0 | head -c 4096 >"$work/body"
cat >"$work/put.lua" <<'LUA'
local f = io.open(os.getenv("BODY"), "rb"); local body = f:read("*a"); f:close()
local counter = 0
local thread_id = 0
function setup(thread) thread_id = thread_id + 1; thread:set("tid", thread_id) end
function request()
  counter = counter + 1
  return wrk.format("PUT", "/b" .. tid .. "/f" .. counter, {["Authorization"] = os.getenv("AUTH")}, body)
end
LUA
cat >"$work/propfind.lua" <<'LUA'
wrk.method = "PROPFIND"
wrk.headers["Depth"] = "1"
wrk.headers["Authorization"] = os.getenv("AUTH")
LUA
auth() { printf 'Basic %s' "$(printf '%s:pw' "$1" | base64 -w0)"; }
for target in "$single_port solo" "$multi_port alice" "$multi_port bob"; do
  set -- $target
  for t in 1 2; do curl -fs -X MKCOL -H "Authorization: $(auth "$2")" "http://127.0.0.1:$1/b$t" >/dev/null; done
done

declare -A rps
run() { # label, port, user, script, path
  local out
  out=$(BODY="$work/body" AUTH="$(auth "$3")" wrk -t2 -c4 -d"${duration}s" --timeout 30s --latency -s "$4" "http://127.0.0.1:$2$5")
  rps[$1]=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  printf '%-44s %9s req/s   p50 %9s   p99 %9s\n' "$1" "${rps[$1]}" \
    "$(awk '$1=="50%" {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")"
}
echo "wrk, 2 threads, 4 connections, ${duration} s each; $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# The single-pool server runs first and last: the spread of its two runs is the noise of the machine.
run "PUT 4 KiB, single-pool serve" "$single_port" solo "$work/put.lua" /
run "PUT 4 KiB, multi-user serve, no quota" "$multi_port" alice "$work/put.lua" /
run "PUT 4 KiB, multi-user serve, with quota" "$multi_port" bob "$work/put.lua" /
run "PROPFIND Depth 1 /p/, multi-user serve" "$multi_port" alice "$work/propfind.lua" /p/
run "PROPFIND Depth 1 /p/, single-pool serve" "$single_port" solo "$work/propfind.lua" /p/
run "PUT 4 KiB, single-pool serve (again)" "$single_port" solo "$work/put.lua" /
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
single=$(python3 -c "print((${rps[PUT 4 KiB, single-pool serve]} + ${rps[PUT 4 KiB, single-pool serve (again)]}) / 2)")
echo "ratios to the single-pool serve (PUT: to the mean of its two runs): PUT no quota $(ratio "${rps[PUT 4 KiB, multi-user serve, no quota]}" "$single")," \
  "PUT with quota $(ratio "${rps[PUT 4 KiB, multi-user serve, with quota]}" "$single"), quota vs no quota $(ratio "${rps[PUT 4 KiB, multi-user serve, with quota]}" "${rps[PUT 4 KiB, multi-user serve, no quota]}")," \
  "PROPFIND $(ratio "${rps[PROPFIND Depth 1 /p/, multi-user serve]}" "${rps[PROPFIND Depth 1 /p/, single-pool serve]}")"
