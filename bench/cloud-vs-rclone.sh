#!/usr/bin/env bash
# Cloud-like remotes (issue 13): rclonepool against rclone's chunker over union of the same N remotes, where each
# remote is an `rclone serve webdav DIR --bwlimit B` (its own bandwidth, like one cloud account) reached through a
# loopback proxy that delays the data in each direction (every call crosses a round trip; this kernel has no netem,
# so the delay is bench/DelayProxy, built once into the scratch directory). Same rclone binary, default flags for
# both tools, same chunk size (8 MiB), same data, one run; prints every figure for both and the ratio.
#
#   bench/cloud-vs-rclone.sh [--remotes 4] [--bwlimit 16] [--rtt-ms 80] [--size-mb 128] [--small-files 60]
#                            [--seeks 20] [--rounds 1] [--case NAME[,NAME...]] [--workers N] [--quick] [--verbose]
#
# --bwlimit is in MiB/s per remote (rclone serve webdav --bwlimit NM); --rtt-ms is the round trip the proxy adds
# (half of it in each direction). Cases (in this order; default: all):
#   up     one random file of --size-mb MiB: `rclonepool upload FILE /big` vs `rclone copyto FILE chunker:big`, MB/s
#   down   `rclonepool download /big OUT` vs `rclone copyto chunker:big OUT`, MB/s (output checked with cmp)
#   small  a directory of --small-files files of 16 KiB: `rclonepool upload DIR /small` vs
#          `rclone copy DIR chunker:small`: seconds and files/s
#   get    one full WebDAV GET of the big file: `rclonepool serve` vs `rclone serve webdav chunker:`: MB/s and time to
#          first byte (checked with cmp)
#   seek   --seeks uncached 64 KiB Range GETs at random offsets, one after another on one connection, through each
#          WebDAV server: time to first byte, median and p95 (every range checked against the source)
# For up and down the table also gives the share of the remotes' aggregate bandwidth (N x bwlimit). Each round
# alternates which tool goes first; a figure is the median over the rounds. The WebDAV servers are started afresh
# for every get and seek run (so no range was read before: rclonepool's chunk cache is empty), warmed up with a
# PROPFIND and a Range GET of the last 64 KiB (the seek offsets stay out of the last chunk). "CPU" is the CPU time
# of the measured tool (the CLI process and its children; for get and seek the server and its children), per run;
# the remotes' own servers and the proxy are not counted.
# --verbose: rclonepool logs per file and per chunk (its --verbose), rclone and the remotes' servers with -v (one line
# per WebDAV request); the logs are kept in a directory named at the end. For diagnosis: the logging costs time.
# --workers N: rclonepool's max_parallel_workers (chunk transfers in flight; default: the pool's default, "auto",
# which is 2 per remote here).
# --quick: 32 MiB file, 20 small files, 10 seeks, 1 round. MB = 10^6 bytes. Throughput ratios are ours/theirs,
# time and CPU ratios theirs/ours: above 1 means rclonepool is better either way.
#
# Environment: BENCH_DIR (default /tmp) holds the remotes and the source files; downloads and the pool's temp_dir go
# to a directory under /dev/shm. Setup (building, data creation, storing the data a case reads) is not measured.
# Needs rclone and curl (installed from Debian when missing) and builds the CLI (./rclonepool --help).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=lib/common.sh
source "$root/bench/lib/common.sh"

workers="" remotes=4 bwlimit=16 rtt_ms=80 size_mb="" small_n="" seeks="" rounds=1 quick=0 verbose=0 cases="up,down,small,get,seek"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --remotes) remotes="$2"; shift 2 ;;
    --bwlimit) bwlimit="${2%M}"; shift 2 ;;
    --rtt-ms) rtt_ms="$2"; shift 2 ;;
    --size-mb) size_mb="$2"; shift 2 ;;
    --small-files) small_n="$2"; shift 2 ;;
    --seeks) seeks="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --workers) workers="$2"; shift 2 ;;
    --quick) quick=1; shift ;;
    --verbose) verbose=1; shift ;;
    --case) cases="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for c in ${cases//,/ }; do
  [[ ",up,down,small,get,seek," == *",$c,"* ]] || { echo "unknown case $c" >&2; exit 2; }
done
has_case() { [[ ",$cases," == *",$1,"* ]]; }
if [[ $quick -eq 1 ]]; then
  : "${size_mb:=32}" "${small_n:=20}" "${seeks:=10}"
else
  : "${size_mb:=128}" "${small_n:=60}" "${seeks:=20}"
fi
chunk=$((8 * 1024 * 1024)) block=65536 small_kb=16
bytes=$((size_mb * 1024 * 1024))
(( bytes > chunk + block )) || { echo "--size-mb must be more than 8" >&2; exit 2; }
aggregate=$(awk -v n="$remotes" -v b="$bwlimit" 'BEGIN { printf "%.1f", n * b * 1.048576 }')   # MB/s

# --- prerequisites -------------------------------------------------------------------------------------------
"$root/scripts/install-deps.sh" rclone curl
"$root/rclonepool" --help >/dev/null   # builds the CLI once, outside the timings
dll="$root/.build/cli/rclonepool.dll"

work="$(mktemp -d "${BENCH_DIR:-/tmp}/rclonepool-cloudbench.XXXXXX")"
shm="$(mktemp -d /dev/shm/rclonepool-cloudbench.XXXXXX)"
dotnet build -c Release -nologo -v q -o "$work/proxy" "$root/bench/DelayProxy/DelayProxy.csproj" >"$work/proxy-build.log" 2>&1 \
  || { cat "$work/proxy-build.log" >&2; echo "bench: DelayProxy does not build" >&2; exit 1; }
server_pids=()
stop_pid() {  # stop_pid PID : TERM to its process group, then KILL after 5 s
  local p="$1"
  kill -TERM -- "-$p" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$p" 2>/dev/null || true
  wait "$p" 2>/dev/null || true
}
keep=""
[[ $verbose -eq 1 ]] && keep="$(mktemp -d "${BENCH_DIR:-/tmp}/rclonepool-cloudbench-logs.XXXXXX")"
vflag=(); [[ $verbose -eq 1 ]] && vflag=(--verbose)
rvflag=(); [[ $verbose -eq 1 ]] && rvflag=(-v)
cleanup() {
  local p
  for p in "${server_pids[@]}"; do stop_pid "$p"; done
  if [[ -n "$keep" ]]; then cp "$work"/*.log "$keep"/ 2>/dev/null || true; echo "logs kept in $keep"; fi
  rm -rf "$work" "$shm"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

calc() { awk "BEGIN { printf \"$1\", $2 }"; }
die() { echo "bench: $*" >&2; exit 1; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
median_p95_ms() {  # seconds on stdin -> "median p95" in ms
  sort -g | awk '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    i = int(NR * 0.95); if (i < NR * 0.95) i++; printf "%.0f %.0f", m * 1000, v[i] * 1000 }'
}

# start NAME COMMAND... : starts a process in its own process group (stopped at exit); its output goes to NAME.log.
declare -A pid url
start() {
  local name="$1"; shift
  setsid "$@" >"$work/$name.log" 2>&1 &
  pid[$name]=$!; server_pids+=("$!")
}

# --- the remotes: N bandwidth-limited rclone serve webdav, each behind the delay proxy -------------------------
proxy_args=()
for i in $(seq 1 "$remotes"); do
  mkdir -p "$work/remote$i"
  start "remote$i" rclone "${rvflag[@]}" ${rvflag[0]:+--log-format date,time,microseconds} serve webdav "$work/remote$i" --addr 127.0.0.1:0 --bwlimit "${bwlimit}M"
done
for i in $(seq 1 "$remotes"); do
  wait_url "remote$i"
  port=${url[remote$i]#http://127.0.0.1:}; port=${port%/}
  proxy_args+=(--listen 127.0.0.1:0 --target "127.0.0.1:$port")
done
start proxy dotnet "$work/proxy/DelayProxy.dll" --delay-ms "$(calc '%g' "$rtt_ms / 2")" "${proxy_args[@]}"
for _ in $(seq 1 300); do grep -q '^DelayProxy ready' "$work/proxy.log" && break; kill -0 "${pid[proxy]}" 2>/dev/null || break; sleep 0.1; done
grep -q '^DelayProxy ready' "$work/proxy.log" || { cat "$work/proxy.log" >&2; die "the delay proxy did not start"; }
mapfile -t proxied < <(sed -n 's/^listening \(127\.0\.0\.1:[0-9]*\) -> .*/\1/p' "$work/proxy.log")
[[ ${#proxied[@]} -eq $remotes ]] || die "the delay proxy listens on ${#proxied[@]} ports, not $remotes"

: > "$work/rclone.conf"
pool_remotes=() union_upstreams=()
for i in $(seq 1 "$remotes"); do
  printf '[cloud%d]\ntype = webdav\nurl = http://%s/\nvendor = other\n\n' "$i" "${proxied[$((i - 1))]}" >> "$work/rclone.conf"
  pool_remotes+=("\"cloud$i:\"")
  union_upstreams+=("cloud$i:union")
  mkdir -p "$work/remote$i/union"   # union's create policy (epmfs) needs the upstream directory to exist
done
cat >> "$work/rclone.conf" <<CONF
[union]
type = union
upstreams = ${union_upstreams[*]}

[chunker]
type = chunker
remote = union:
chunk_size = 8Mi
CONF
export RCLONE_CONFIG="$work/rclone.conf"
# Everything else keeps its default (4 workers, the rcd transport, the chunk cache and prefetch, retries).
cat > "$work/pool.json" <<JSON
{
  "remotes": [$(IFS=,; echo "${pool_remotes[*]}")],
  "chunk_size": $chunk,$([[ -n $workers ]] && echo "
  \"max_parallel_workers\": $workers,")
  "manifest_cache_dir": "$work/index",
  "temp_dir": "$shm/pooltmp",
  "show_progress": false
}
JSON
pool() { dotnet "$dll" --config "$work/pool.json" "$@"; }
pool init >"$work/init.log" 2>&1 || { cat "$work/init.log" >&2; die "rclonepool init failed"; }

# The round trip as a client sees it: TTFB of OPTIONS through the proxy (a new connection: connect + request).
probe_ms=$(for _ in 1 2 3; do curl -s -o /dev/null -w '%{time_starttransfer}\n' -X OPTIONS "http://${proxied[0]}/"; done | median)
echo "bench: rclonepool vs rclone chunker over union, on cloud-like remotes; $(rclone version | head -1)"
echo "       ${remotes} remotes: rclone serve webdav --bwlimit ${bwlimit}M each (aggregate ${aggregate} MB/s), +${rtt_ms} ms round trip"
echo "       through bench/DelayProxy (OPTIONS on a new connection: $(calc '%.0f' "$probe_ms * 1000") ms to first byte)"
echo "       ${size_mb} MiB file, 8 MiB chunks, rclonepool max_parallel_workers ${workers:-auto (the default: 2 per remote here)}, ${small_n} files of ${small_kb} KiB, ${seeks} seeks, ${rounds} round(s); cases: ${cases}$([[ $quick -eq 1 ]] && echo " (quick)")"
echo "       $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); work dir $work, scratch $shm"

results=()
row() { local line; line=$(printf '%-46s %12s %12s   %s' "$@"); echo "  $line"; results+=("$line"); }
# report LABEL OURS THEIRS higher|lower [EXTRA] : one line with the ratio, kept for the summary.
report() {
  local ratio num den
  if [[ $4 == higher ]]; then num=$2 den=$3 ratio="ours/theirs"; else num=$3 den=$2 ratio="theirs/ours"; fi
  if awk -v d="$den" 'BEGIN { exit !(d + 0 > 0) }'; then ratio="$(calc '%.2f' "$num / $den") $ratio"; else ratio="n/a"; fi
  row "$1" "$2" "$3" "$ratio${5:+; $5}"
}
share() { echo "share of ${aggregate} MB/s: ours $(calc '%.0f' "100 * $1 / $aggregate") %, rclone $(calc '%.0f' "100 * $2 / $aggregate") %"; }

# timed SIDE LOG COMMAND... : runs COMMAND, appends "seconds cpu-seconds" to $work/fig.SIDE; output to LOG.
tick=$(getconf CLK_TCK)
timed() {
  local side="$1" log="$2" t0 t1 u0 u1; shift 2
  read -r u0 < <(awk '{ print $16 + $17 }' /proc/$$/stat)   # children's CPU (ticks) of this shell so far
  t0=$(now)
  "$@" >"$log" 2>&1 || { cat "$log" >&2; die "$side: $* failed"; }
  t1=$(now)
  read -r u1 < <(awk '{ print $16 + $17 }' /proc/$$/stat)
  echo "$(calc '%.3f' "$t1 - $t0") $(calc '%.2f' "($u1 - $u0) / $tick")" >> "$work/fig.$side"
}
# rounds_of FUNCTION : runs FUNCTION SIDE ROUND for both sides, alternating who goes first.
rounds_of() {
  local fn="$1" r side order
  rm -f "$work/fig.ours" "$work/fig.theirs"
  for ((r = 1; r <= rounds; r++)); do
    order="ours theirs"; (( r % 2 == 0 )) && order="theirs ours"
    for side in $order; do "$fn" "$side" "$r"; done
  done
}
col() { awk -v c="$1" '{ print $c }' "$work/fig.$2" | median; }   # col N SIDE : median of column N
cpu_row() { report "  CPU per run (s)" "$(calc '%.2f' "$(col 2 ours)")" "$(calc '%.2f' "$(col 2 theirs)")" lower; }

# --- data ----------------------------------------------------------------------------------------------------
echo "setup: ${size_mb} MiB of random data, ${small_n} files of ${small_kb} KiB"
head -c "$bytes" /dev/urandom > "$work/source.bin"
mkdir -p "$work/smalldir"
for ((i = 1; i <= small_n; i++)); do head -c $((small_kb * 1024)) /dev/urandom > "$work/smalldir/f$(printf '%03d' "$i").bin"; done
big_stored=0
store_big() {  # untimed, for the cases that read when up did not run
  [[ $big_stored -eq 1 ]] && return 0
  echo "setup: storing the big file with rclonepool upload and rclone copyto"
  pool upload "$work/source.bin" /big >"$work/setup.log" 2>&1 || { cat "$work/setup.log" >&2; die "rclonepool upload failed"; }
  rclone copyto "$work/source.bin" chunker:big
  big_stored=1
}
echo
printf '  %-46s %12s %12s   %s\n' "measurement" "rclonepool" "rclone" "ratio (>1: rclonepool better)"

# --- up ------------------------------------------------------------------------------------------------------
up_run() {
  local side="$1" r="$2"
  if [[ $side == ours ]]; then
    pool delete /big >/dev/null 2>&1 || true
    timed ours "$work/up.ours.$r.log" pool "${vflag[@]}" upload "$work/source.bin" /big
  else
    rclone deletefile chunker:big >/dev/null 2>&1 || true
    timed theirs "$work/up.theirs.$r.log" rclone "${rvflag[@]}" copyto "$work/source.bin" chunker:big
  fi
}
if has_case up; then
  rounds_of up_run; big_stored=1
  ou=$(calc '%.1f' "$bytes / 1e6 / $(col 1 ours)"); tu=$(calc '%.1f' "$bytes / 1e6 / $(col 1 theirs)")
  report "up: ${size_mb} MiB file (MB/s)" "$ou" "$tu" higher "$(share "$ou" "$tu")"
  cpu_row
fi

# --- down ----------------------------------------------------------------------------------------------------
down_run() {
  local side="$1" r="$2"
  rm -f "$shm/down.bin"
  if [[ $side == ours ]]; then
    timed ours "$work/down.ours.$r.log" pool "${vflag[@]}" download /big "$shm/down.bin"
  else
    timed theirs "$work/down.theirs.$r.log" rclone "${rvflag[@]}" copyto chunker:big "$shm/down.bin"
  fi
  cmp -s "$work/source.bin" "$shm/down.bin" || die "down on $side: the file differs from the source"
  rm -f "$shm/down.bin"
}
if has_case down; then
  store_big
  rounds_of down_run
  od=$(calc '%.1f' "$bytes / 1e6 / $(col 1 ours)"); td=$(calc '%.1f' "$bytes / 1e6 / $(col 1 theirs)")
  report "down: ${size_mb} MiB file (MB/s)" "$od" "$td" higher "$(share "$od" "$td")"
  cpu_row
fi

# --- small ---------------------------------------------------------------------------------------------------
small_run() {
  local side="$1" r="$2" n
  if [[ $side == ours ]]; then
    pool delete -r /small >/dev/null 2>&1 || true
    timed ours "$work/small.ours.$r.log" pool "${vflag[@]}" upload "$work/smalldir" /small
    n=$(pool ls /small 2>/dev/null | grep -c '\.bin$' || true)
  else
    rclone purge chunker:small >/dev/null 2>&1 || true
    timed theirs "$work/small.theirs.$r.log" rclone "${rvflag[@]}" copy "$work/smalldir" chunker:small
    n=$(rclone lsf chunker:small 2>/dev/null | grep -c '\.bin$' || true)
  fi
  [[ $n -eq $small_n ]] || die "small on $side: $n files listed after the upload, not $small_n"
}
if has_case small; then
  rounds_of small_run
  os=$(calc '%.2f' "$(col 1 ours)"); ts=$(calc '%.2f' "$(col 1 theirs)")
  report "small: ${small_n} x ${small_kb} KiB upload (s)" "$os" "$ts" lower
  report "  files/s" "$(calc '%.1f' "$small_n / $os")" "$(calc '%.1f' "$small_n / $ts")" higher
  cpu_row
fi

# --- WebDAV servers, started afresh for each run -------------------------------------------------------------
server_cpu() {  # CPU ticks of a server and its direct children (rclonepool's rclone rcd)
  local p="${pid[$1]}" total=0 c
  for c in "$p" $(pgrep -P "$p" || true); do
    total=$((total + $(awk '{ print $14 + $15 }' "/proc/$c/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
serve_up() {  # serve_up SIDE : starts the side's WebDAV server and warms it up
  local side="$1" code
  if [[ $side == ours ]]; then
    start ours dotnet "$dll" --config "$work/pool.json" "${vflag[@]}" serve --host 127.0.0.1 --port 0
  else
    start theirs rclone "${rvflag[@]}" serve webdav chunker: --addr 127.0.0.1:0
  fi
  if [[ $side == ours ]]; then wait_url ours 'WebDAV at'; else wait_url theirs; fi   # (ours logs its rcd's URL too)
  curl -s -o /dev/null -X PROPFIND -H 'Depth: 1' "${url[$side]}"
  code=$(curl -s -o /dev/null -w '%{http_code}' -r "-$block" "${url[$side]}big")
  [[ $code == 206 ]] || die "$side server: a Range GET of the last $block bytes gave $code"
}
serve_down() { stop_pid "${pid[$1]}"; }

get_run() {
  local side="$1" code size t ttfb c0
  serve_up "$side"
  c0=$(server_cpu "$side")
  read -r code size t ttfb <<< "$(curl -s -o "$shm/get.bin" -w '%{http_code} %{size_download} %{time_total} %{time_starttransfer}' "${url[$side]}big")"
  echo "$t $(calc '%.2f' "($(server_cpu "$side") - $c0) / $tick") $ttfb" >> "$work/fig.$side"
  serve_down "$side"
  [[ $code == 200 && $size == "$bytes" ]] || die "GET on $side gave $code with $size bytes"
  cmp -s "$work/source.bin" "$shm/get.bin" || die "GET on $side differs from the source"
  rm -f "$shm/get.bin"
}
if has_case get; then
  store_big
  rounds_of get_run
  og=$(calc '%.1f' "$bytes / 1e6 / $(col 1 ours)"); tg=$(calc '%.1f' "$bytes / 1e6 / $(col 1 theirs)")
  report "get: WebDAV GET of ${size_mb} MiB (MB/s)" "$og" "$tg" higher "$(share "$og" "$tg")"
  report "  time to first byte (ms)" "$(calc '%.0f' "1000 * $(col 3 ours)")" "$(calc '%.0f' "1000 * $(col 3 theirs)")" lower
  report "  server CPU per run (s)" "$(calc '%.2f' "$(col 2 ours)")" "$(calc '%.2f' "$(col 2 theirs)")" lower
fi

# --- seek: sequential single-range GETs on one connection --------------------------------------------------------
seek_run() {
  local side="$1" r="$2" i=0 off c0
  serve_up "$side"
  : > "$work/seek.cfg"
  while read -r off; do
    i=$((i + 1))
    [[ $i -gt 1 ]] && echo next >> "$work/seek.cfg"
    printf 'url = "%sbig"\nrange = "%d-%d"\noutput = "%s/seek.%d"\nwrite-out = "%%{http_code} %%{size_download} %%{time_starttransfer}\\n"\n' \
      "${url[$side]}" "$off" $((off + block - 1)) "$shm" "$i" >> "$work/seek.cfg"
  done < "$work/offsets.$r"
  c0=$(server_cpu "$side")
  curl -s -K "$work/seek.cfg" > "$work/seek.out"
  echo "$(calc '%.2f' "($(server_cpu "$side") - $c0) / $tick")" >> "$work/cpu.$side"
  serve_down "$side"
  awk -v b=$block '$1 != 206 || $2 != b { bad++ } END { exit bad > 0 }' "$work/seek.out" || die "seek on $side: a range was not 206 with $block bytes"
  i=0
  while read -r off; do
    i=$((i + 1))
    cmp -s <(tail -c +$((off + 1)) "$work/source.bin" | head -c $block) "$shm/seek.$i" || die "seek on $side: the range at $off differs from the source"
  done < "$work/offsets.$r"
  rm -f "$shm"/seek.*
  awk '{ print $3 }' "$work/seek.out" >> "$work/fig.$side"
}
if has_case seek; then
  store_big
  for ((r = 1; r <= rounds; r++)); do   # the same offsets for both servers, new ones each round, none in the last chunk
    awk -v n="$seeks" -v max=$((bytes - chunk - block)) -v seed="$r" 'BEGIN { srand(seed); for (i = 0; i < n; i++) printf "%d\n", int(rand() * (max + 1)) }' > "$work/offsets.$r"
  done
  rm -f "$work/cpu.ours" "$work/cpu.theirs"
  rounds_of seek_run
  read -r om op <<< "$(median_p95_ms < "$work/fig.ours")"; read -r tm tp <<< "$(median_p95_ms < "$work/fig.theirs")"
  report "seek: $((seeks * rounds)) x 64 KiB, TTFB median (ms)" "$om" "$tm" lower
  report "  TTFB p95 (ms)" "$op" "$tp" lower
  report "  server CPU per run (s)" "$(calc '%.2f' "$(median < "$work/cpu.ours")")" "$(calc '%.2f' "$(median < "$work/cpu.theirs")")" lower
fi

echo
echo "summary ($(date -u +%Y-%m-%dT%H:%MZ); main at $(git -C "$root" rev-parse --short HEAD); ${remotes} remotes x ${bwlimit} MiB/s, +${rtt_ms} ms RTT;"
echo "         ${size_mb} MiB file, ${small_n} small files, ${seeks} seeks, ${rounds} round(s); load average now $(cut -d' ' -f1-3 /proc/loadavg)):"
printf '  %-46s %12s %12s   %s\n' "measurement" "rclonepool" "rclone" "ratio (>1: rclonepool better)"
printf '  %s\n' "${results[@]}"
