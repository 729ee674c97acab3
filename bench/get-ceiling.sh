#!/usr/bin/env bash
# How fast can a full WebDAV GET of a big file be on this machine, with the client bench/webdav-vs-rclone.sh uses?
# One pool of N local remotes served by `rclonepool serve`, rclone's chunker over
# a union of N other local directories served by `rclone serve webdav`, and tools/raw-get-server.c serving the source
# file itself twice, "raw" (pread + send in C: no verification, no framework, the floor of a copying server) and
# "raw-zc" (each block read through mmap, as a check must, then sent with sendfile: the floor of a server that checks
# what it serves without copying it), one GET each per round, rotating the order. Prints, per server, the median wall
# time, MB/s, the server's CPU and the client's CPU, and the ratios to rclone: the raw servers' ratios are the
# ceilings any server reaches with this client (docs/benchmarks.md).
# --client discard (default): tools/http-get-discard.c, reading and discarding the body (the get cases' client);
# --client shm: curl writing the body to /dev/shm (their client before 2026-12-07).
#
#   bench/get-ceiling.sh [--size-mb 1024] [--chunk-mb 100] [--remotes 4] [--rounds 5] [--client discard|shm]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
size_mb=1024 chunk_mb=100 remotes=4 rounds=5 client=discard
while [[ $# -gt 0 ]]; do
  case "$1" in
    --size-mb) size_mb="$2"; shift 2 ;;
    --chunk-mb) chunk_mb="$2"; shift 2 ;;
    --remotes) remotes="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --client) client="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ $client == discard || $client == shm ]] || { echo "--client is discard or shm" >&2; exit 2; }
"$root/scripts/install-deps.sh" rclone curl gcc
"$root/rclonepool" --version >/dev/null   # builds the CLI once, outside the timings
dll="$root/.build/cli/rclonepool.dll"

work="$(mktemp -d "${BENCH_DIR:-/tmp}/rclonepool-ceiling.XXXXXX")"
shm="$(mktemp -d /dev/shm/rclonepool-ceiling.XXXXXX)"
declare -A pid url
cleanup() {
  local p
  for p in "${pid[@]}"; do kill -TERM -- "-$p" 2>/dev/null || true; done
  for p in "${pid[@]}"; do while kill -0 "$p" 2>/dev/null; do sleep 0.1; done; done
  rm -rf "$work" "$shm"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

gcc -O2 -o "$work/raw-get-server" "$root/bench/tools/raw-get-server.c"
gcc -O2 -o "$work/http-get-discard" "$root/bench/tools/http-get-discard.c"
list="" upstreams=""
for i in $(seq 1 "$remotes"); do mkdir -p "$work/r$i" "$work/u$i"; list+="\"$work/r$i\","; upstreams+="$work/u$i "; done
cat > "$work/pool.json" <<JSON
{ "remotes": [${list%,}], "chunk_size": $((chunk_mb * 1024 * 1024)), "manifest_cache_dir": "$work/index", "temp_dir": "$shm/pooltmp" }
JSON
printf '[u]\ntype = union\nupstreams = %s\n\n[ch]\ntype = chunker\nremote = u:\nchunk_size = %sMi\n' "$upstreams" "$chunk_mb" > "$work/rclone.conf"
export RCLONE_CONFIG="$work/rclone.conf"
bytes=$((size_mb * 1024 * 1024))
head -c "$bytes" /dev/urandom > "$work/source.bin"
dotnet "$dll" --config "$work/pool.json" --no-progress init >/dev/null
dotnet "$dll" --config "$work/pool.json" --no-progress upload "$work/source.bin" /big.bin >/dev/null 2>&1
rclone copyto --transfers 4 "$work/source.bin" ch:big.bin

start() {  # start NAME URL-PATTERN COMMAND...
  local name="$1" pattern="$2"; shift 2
  setsid "$@" >"$work/$name.log" 2>&1 &
  pid[$name]=$!
  for _ in $(seq 1 600); do
    url[$name]=$(grep -o "$pattern" "$work/$name.log" | head -1 || true)
    [[ -n "${url[$name]}" ]] && return 0
    kill -0 "${pid[$name]}" 2>/dev/null || { cat "$work/$name.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "$name printed no URL" >&2; exit 1
}
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
start raw 'http://127\.0\.0\.1:[0-9]*/' "$work/raw-get-server" "$work/source.bin" "$port"
url[raw]="${url[raw]}big.bin"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
start raw-zc 'http://127\.0\.0\.1:[0-9]*/' "$work/raw-get-server" "$work/source.bin" "$port" 256 mmap-sendfile
url[raw-zc]="${url[raw-zc]}big.bin"
start ours 'http://127\.0\.0\.1:[0-9]*/' dotnet "$dll" --config "$work/pool.json" --no-progress serve --host 127.0.0.1 --port 0
url[ours]="${url[ours]}big.bin"
start rclone 'http://127\.0\.0\.1:[0-9]*/' rclone serve webdav ch: --addr 127.0.0.1:0
url[rclone]="${url[rclone]}big.bin"
for side in raw raw-zc ours rclone; do   # warm-up (page cache, JIT) and the content, untimed
  curl -s "${url[$side]}" | cmp -s - "$work/source.bin" || { echo "GET from $side differs from the source" >&2; exit 1; }
done

tick=$(getconf CLK_TCK)
cpu() { awk '{ print $14 + $15 }' "/proc/${pid[$1]}/stat"; }
echo "get-ceiling: ${size_mb} MiB, ${remotes} remotes, ${rounds} rounds, client $client; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
sides=(raw raw-zc ours rclone)
for ((r = 1; r <= rounds; r++)); do
  for k in 0 1 2 3; do
    side=${sides[$(((k + r) % 4))]}
    c0=$(cpu "$side")
    if [[ $client == discard ]]; then
      read -r code size wall ccpu <<< "$("$work/http-get-discard" "${url[$side]}" || true)"
      [[ $code == 200 && $size == "$bytes" ]] || { echo "GET from $side gave ${code:-no answer} with ${size:-no} bytes" >&2; exit 1; }
    else
      read -r wall ucpu scpu <<< "$({ /usr/bin/time -f '%U %S' curl -s -o "$shm/get.bin" -w '%{time_total} ' "${url[$side]}"; } 2>&1 | tr '\n' ' ')"
      ccpu=$(awk -v u="$ucpu" -v s="$scpu" 'BEGIN { printf "%.2f", u + s }')
      rm -f "$shm/get.bin"
    fi
    c1=$(cpu "$side")
    echo "$side $wall $(awk -v a="$c0" -v b="$c1" -v t="$tick" 'BEGIN { printf "%.3f", (b - a) / t }') $ccpu" >> "$work/results"
  done
done
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf '  %-8s %10s %10s %14s %14s %16s\n' server "wall (s)" "MB/s" "server CPU (s)" "client CPU (s)" "ratio to rclone"
theirs=$(awk '$1 == "rclone" { print $2 }' "$work/results" | median)
for side in raw raw-zc ours rclone; do
  w=$(awk -v s="$side" '$1 == s { print $2 }' "$work/results" | median)
  c=$(awk -v s="$side" '$1 == s { print $3 }' "$work/results" | median)
  u=$(awk -v s="$side" '$1 == s { print $4 }' "$work/results" | median)
  printf '  %-8s %10.3f %10.1f %14.2f %14.2f %16.2f\n' "$side" "$w" "$(awk -v b="$bytes" -v w="$w" 'BEGIN { print b / w / 1e6 }')" "$c" "$u" "$(awk -v a="$theirs" -v w="$w" 'BEGIN { print a / w }')"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
