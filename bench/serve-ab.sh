#!/usr/bin/env bash
# Two builds of `rclonepool serve` side by side on the same pool, request by request (issue 20): which of two
# versions of the serving path costs less, on a machine too noisy for two separate runs to tell.
#
#   bench/serve-ab.sh --before DLL --after DLL [--size-mb 1024] [--chunk-mb 100] [--remotes 4] [--rounds 3]
#                     [--case get,get4,seek,put]
#
# DLL: a built rclonepool.dll (e.g. `dotnet build src/RclonePool.Cli -c Release -o /tmp/before` at the old commit).
# Both servers serve one pool of N local-directory remotes holding one random file; each round runs every case on
# both, alternating which goes first: get (one full GET), get4 (4 concurrent full GETs), seek (50 single 64 KiB
# Range GETs at random offsets, TTFB median), put (one PUT of the file, deleted afterwards). Per case it prints the
# wall time and the CPU the serve process used (utime + stime from /proc), and checks the bytes (cmp) in round 1,
# then the median of each over the rounds. The GETs' client is tools/http-get-discard.c (built with cc): it reads
# each body, discards it and checks the status and byte count, so that the client takes as little of the cores as it
# can (docs/benchmarks.md); round 1 also compares each server's whole file with the source through curl, untimed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
before="" after="" size_mb=1024 chunk_mb=100 remotes=4 rounds=3 cases="get,get4,seek,put"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --before) before="$2"; shift 2 ;;
    --after) after="$2"; shift 2 ;;
    --size-mb) size_mb="$2"; shift 2 ;;
    --chunk-mb) chunk_mb="$2"; shift 2 ;;
    --remotes) remotes="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --case) cases="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ -f "$before" && -f "$after" ]] || { echo "give --before and --after: two built rclonepool.dll files" >&2; exit 2; }
has() { [[ ",$cases," == *",$1,"* ]]; }
"$root/scripts/install-deps.sh" rclone curl gcc

work="$(mktemp -d "${BENCH_DIR:-/tmp}/rclonepool-serve-ab.XXXXXX")"
shm="$(mktemp -d /dev/shm/rclonepool-serve-ab.XXXXXX)"
declare -A pid url
cleanup() {
  local p
  for p in "${pid[@]}"; do kill -TERM -- "-$p" 2>/dev/null || true; done
  for p in "${pid[@]}"; do while kill -0 "$p" 2>/dev/null; do sleep 0.1; done; done
  rm -rf "$work" "$shm"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cc -O2 -o "$work/http-get-discard" "$root/bench/tools/http-get-discard.c"

list=""
for i in $(seq 1 "$remotes"); do mkdir -p "$work/r$i"; list+="\"$work/r$i\","; done
cat > "$work/pool.json" <<JSON
{ "remotes": [${list%,}], "chunk_size": $((chunk_mb * 1024 * 1024)), "manifest_cache_dir": "$work/index", "temp_dir": "$shm/pooltmp" }
JSON
bytes=$((size_mb * 1024 * 1024))
head -c "$bytes" /dev/urandom > "$work/source.bin"
dotnet "$after" --config "$work/pool.json" --no-progress init >/dev/null 2>&1
dotnet "$after" --config "$work/pool.json" --no-progress upload "$work/source.bin" /big.bin >/dev/null 2>&1

start() {  # start NAME DLL
  setsid dotnet "$2" --config "$work/pool.json" --no-progress serve --host 127.0.0.1 --port 0 >"$work/$1.log" 2>&1 &
  pid[$1]=$!
  for _ in $(seq 1 600); do
    url[$1]=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$work/$1.log" | head -1 || true)
    [[ -n "${url[$1]}" ]] && break
    kill -0 "${pid[$1]}" 2>/dev/null || { cat "$work/$1.log" >&2; exit 1; }
    sleep 0.1
  done
  [[ -n "${url[$1]}" ]] || { echo "$1 printed no URL" >&2; exit 1; }
}
start before "$before"
start after "$after"
cpu() { awk '{ print $14 + $15 }' "/proc/${pid[$1]}/stat"; }
tick=$(getconf CLK_TCK)
now() { date +%s.%N; }
for side in before after; do   # warm-up, not measured
  curl -s -o /dev/null -X MKCOL "${url[$side]}put-$side/"
  curl -s -o /dev/null "${url[$side]}big.bin"
  for off in 0 $((bytes / 3)); do curl -s -o /dev/null -r "$off-$((off + 65535))" "${url[$side]}big.bin"; done
done
echo "serve-ab: ${size_mb} MiB, ${chunk_mb} MiB chunks, ${remotes} remotes, ${rounds} rounds; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  before: $before"
echo "  after:  $after"
printf '%-6s %-7s %-5s %12s %10s\n' round side case "wall (s)" "CPU (s)"
line() {
  local l; l=$(printf '%-6s %-7s %-5s %12s %10s' "$1" "$2" "$3" "$4" "$(awk -v c="$5" -v t="$tick" 'BEGIN { printf "%.2f", c / t }')")
  echo "$l"; echo "$l" >> "$work/lines"
}
for ((r = 1; r <= rounds; r++)); do
  order="before after"; (( r % 2 == 0 )) && order="after before"
  awk -v n=50 -v max=$((bytes - 65536)) -v seed="$r" 'BEGIN { srand(seed); for (i = 0; i < n; i++) printf "%d\n", int(rand() * (max + 1)) }' > "$work/offsets"
  for side in $order; do
    u="${url[$side]}"
    if [[ $r -eq 1 ]] && { has get || has get4; }; then   # the content, once, untimed
      curl -s "${u}big.bin" | cmp -s - "$work/source.bin" || { echo "GET on $side differs from the source" >&2; exit 1; }
    fi
    if has get; then
      c0=$(cpu "$side"); read -r code size t _ <<< "$("$work/http-get-discard" "${u}big.bin" || true)"; c1=$(cpu "$side")
      [[ $code == 200 && $size == "$bytes" ]] || { echo "GET on $side gave ${code:-no answer} with ${size:-no} bytes" >&2; exit 1; }
      line "$r" "$side" get "$t" $((c1 - c0))
    fi
    if has get4; then
      c0=$(cpu "$side"); t0=$(now); getters=()
      for k in 1 2 3 4; do { "$work/http-get-discard" "${u}big.bin" > "$work/get4.$k" || true; } & getters+=("$!"); done
      wait "${getters[@]}"; t1=$(now); c1=$(cpu "$side")
      for k in 1 2 3 4; do
        read -r code size _ < "$work/get4.$k" || true
        [[ $code == 200 && $size == "$bytes" ]] || { echo "GET $k of 4 on $side gave ${code:-no answer} with ${size:-no} bytes" >&2; exit 1; }
      done
      line "$r" "$side" get4 "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')" $((c1 - c0))
    fi
    if has seek; then
      : > "$work/seek.cfg"; n=0
      while read -r off; do
        n=$((n + 1)); [[ $n -gt 1 ]] && echo next >> "$work/seek.cfg"
        printf 'url = "%sbig.bin"\nrange = "%d-%d"\noutput = "/dev/null"\nwrite-out = "%%{time_starttransfer}\\n"\n' "$u" "$off" $((off + 65535)) >> "$work/seek.cfg"
      done < "$work/offsets"
      c0=$(cpu "$side"); curl -s -K "$work/seek.cfg" > "$work/seek.out"; c1=$(cpu "$side")
      line "$r" "$side" seek "$(sort -g "$work/seek.out" | awk '{ v[NR] = $1 } END { printf "%.5f", v[int((NR + 1) / 2)] }') (TTFB median)" $((c1 - c0))
    fi
    if has put; then
      c0=$(cpu "$side"); t=$(curl -s -o /dev/null -T "$work/source.bin" -w '%{time_total}' "${u}put-$side/f$r.bin"); c1=$(cpu "$side")
      if [[ $r -eq 1 ]]; then
        curl -s -o "$shm/put.bin" "${u}put-$side/f$r.bin"
        cmp -s "$shm/put.bin" "$work/source.bin" || { echo "PUT on $side read back differs" >&2; exit 1; }
        rm -f "$shm/put.bin"
      fi
      curl -s -o /dev/null -X DELETE "${u}put-$side/f$r.bin"
      line "$r" "$side" put "$t" $((c1 - c0))
    fi
  done
done
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "medians over the rounds (wall or TTFB, CPU):"
for c in get get4 seek put; do
  has "$c" || continue
  for side in before after; do
    printf '  %-5s %-7s %12s %10s\n' "$c" "$side" "$(awk -v s="$side" -v c="$c" '$2 == s && $3 == c { print $4 }' "$work/lines" | median)" \
      "$(awk -v s="$side" -v c="$c" '$2 == s && $3 == c { print $NF }' "$work/lines" | median)"
  done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
