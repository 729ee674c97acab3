#!/usr/bin/env bash
# WebDAV benchmark, side by side in one run (issue 4): `rclonepool serve` over a pool of N local-directory
# remotes against `rclone serve webdav` over rclone's chunker over a union of N other local directories (same
# chunk size, same data), both on 127.0.0.1. Prints every figure for both servers and the ratio.
#
#   bench/webdav-vs-rclone.sh [--size-mb 1024] [--chunk-mb 100] [--remotes 4] [--rounds 3] [--quick]
#                             [--case NAME[,NAME...]] [--through-rclone] [--auth] [--get-client discard|shm]
#                             [--dll PATH] [--no-packing]
#
# Cases (in this order): seek, get, get4, random, propfind, put, smallput (default: all).
#   seek      50 single 64 KiB Range GETs at random offsets, one after another on one connection: time to first
#             byte, median and p95 over all rounds (every range checked against the source)
#   get       one full GET of the big file: MB/s (the median; "each round" lists every round's figure)
#   get4      4 concurrent full GETs: aggregate MB/s (likewise)
#   random    wrk, 16 connections, random 64 KiB Range GETs for 10 s: requests/s (status and length checked)
#   propfind  PROPFIND Depth 1 (allprop) on directories of 1,000 and 10,000 files: seconds, first and median of 3
#   put       one PUT of the big file: MB/s (read back and checked with cmp, untimed)
#   smallput  10,000 PUTs of 100-byte files over 8 connections (curl --parallel): files/s (one round only; rclone first, and each server left to go idle before the next starts)
# Rounds alternate which server goes first; a figure is the median over the rounds. Under every figure, "server
# CPU" is the CPU time the server processes used for it (rclonepool: the serve process and its rclone rcd child;
# rclone: the serve webdav process), per round: on a shared machine it is steadier than wall-clock time.
# --through-rclone: the pool reads and writes its local remotes only through its rclone rcd (local_direct_reads and
# local_direct_writes: false); by default it reads their files and writes its manifests there directly, as it does
# for any remote rclone reports as a local directory.
# --auth: both servers ask for HTTP Basic credentials (rclonepool: a user added with 'rclonepool user add' and
# serve --auth basic; rclone: --user/--pass) and every request sends them, as WebDAV clients do; compare with a run
# without it to see what authentication costs.
# --get-client: the client of the get and get4 cases, the same for both servers. discard (the default):
# tools/http-get-discard.c (built with cc), which reads each body into one buffer, throws it away and checks the
# status and the byte count; the content is compared with the source once per case and server, before the timed
# rounds, with curl. shm: curl writing each body to /dev/shm, every copy compared with the source (the client of
# the runs before 2026-12-07). curl's tmpfs write costs about 1 s of CPU per GiB, more than either server, and on a
# 2-core machine it bounds both servers' GETs alike (docs/benchmarks.md): a GET benchmark measures the server, so
# its client should cost as little as it can. Each case also prints the client's CPU per run (discard only).
# --dll: the rclonepool build to serve with (its rclonepool.dll; default: this checkout's ./rclonepool build), for a
# before/after of two commits (publish each with the ./rclonepool script's command into a directory of its own).
# --no-packing: the pool writes one manifest object per file (manifest_packing false) instead of packs.
# --quick: 256 MiB file unless --size-mb is given, 1 round, 20 seeks, 3 s of random reads, directories of 100 and
# 1,000 files, 1,000 small PUTs. MB = 10^6 bytes. Throughput ratios are ours/theirs, time and CPU ratios
# theirs/ours: above 1 means rclonepool is better either way.
#
# Environment: BENCH_DIR (default /tmp) holds the remotes and the source file; scratch downloads and the pool's
# temp_dir go to a directory under /dev/shm, like the pool's default temp_dir. Setup (data creation, uploads
# through each tool's own upload path) is not measured. Needs rclone, curl and wrk (installed from Debian
# when missing) and builds the CLI (./rclonepool --help).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=lib/common.sh
source "$root/bench/lib/common.sh"

size_mb="" chunk_mb=100 remotes=4 quick=0 rounds="" direct=true auth=0 get_client=discard dll="" packing=true cases="seek,get,get4,random,propfind,put,smallput"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --size-mb) size_mb="$2"; shift 2 ;;
    --chunk-mb) chunk_mb="$2"; shift 2 ;;
    --remotes) remotes="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --quick) quick=1; shift ;;
    --case) cases="$2"; shift 2 ;;
    --through-rclone) direct=false; shift ;;
    --auth) auth=1; shift ;;
    --get-client) get_client="$2"; shift 2 ;;
    --dll) dll="$(readlink -f "$2")"; shift 2 ;;
    --no-packing) packing=false; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for c in ${cases//,/ }; do
  [[ ",seek,get,get4,random,propfind,put,smallput," == *",$c,"* ]] || { echo "unknown case $c" >&2; exit 2; }
done
[[ $get_client == discard || $get_client == shm ]] || { echo "--get-client is discard or shm, not $get_client" >&2; exit 2; }
has_case() { [[ ",$cases," == *",$1,"* ]]; }
if [[ $auth -eq 1 ]] && has_case random; then echo "--auth: the random case (wrk) sends no credentials; leave it out with --case" >&2; exit 2; fi

if [[ $quick -eq 1 ]]; then
  : "${size_mb:=256}" "${rounds:=1}"; seeks=20 random_s=3 dirs="100 1000" small_n=1000
else
  : "${size_mb:=1024}" "${rounds:=3}"; seeks=50 random_s=10 dirs="1000 10000" small_n=10000
fi
block=65536 conns=16 put_conns=8
bytes=$((size_mb * 1024 * 1024))

# --- prerequisites (Debian packages) ---------------------------------------------------------------------
"$root/scripts/install-deps.sh" rclone curl wrk
if [[ -z "$dll" ]]; then
  "$root/rclonepool" --help >/dev/null   # builds the CLI once, outside the timings
  dll="$root/.build/cli/rclonepool.dll"
fi
[[ -f "$dll" ]] || { echo "--dll: $dll does not exist" >&2; exit 2; }

work="$(mktemp -d "${BENCH_DIR:-/tmp}/rclonepool-webbench.XXXXXX")"
shm="$(mktemp -d /dev/shm/rclonepool-webbench.XXXXXX)"
server_pids=()
cleanup() {
  local pid alive
  for pid in "${server_pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for _ in $(seq 1 50); do
    alive=0
    for pid in "${server_pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [[ $alive -eq 0 ]] && break
    sleep 0.1
  done
  for pid in "${server_pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  rm -rf "$work" "$shm"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
if [[ $get_client == discard ]] && { has_case get || has_case get4; }; then
  "$root/scripts/install-deps.sh" gcc
  cc -O2 -o "$work/http-get-discard" "$root/bench/tools/http-get-discard.c"
fi

# --- the two stores ----------------------------------------------------------------------------------------
pool_remotes=() union_upstreams=()
for i in $(seq 1 "$remotes"); do
  mkdir -p "$work/pool/r$i" "$work/union/u$i"
  pool_remotes+=("\"$work/pool/r$i\"")
  union_upstreams+=("$work/union/u$i")
done
# Everything else keeps its default (4 workers, the rcd transport, the chunk cache and prefetch settings).
cat > "$work/pool.json" <<JSON
{
  "remotes": [$(IFS=,; echo "${pool_remotes[*]}")],
  "chunk_size": $((chunk_mb * 1024 * 1024)),
  "manifest_cache_dir": "$work/index",
  "temp_dir": "$shm/pooltmp",
  "local_direct_reads": $direct,
  "local_direct_writes": $direct,
  "manifest_packing": $packing
}
JSON
cat > "$work/rclone.conf" <<CONF
[u]
type = union
upstreams = ${union_upstreams[*]}

[ch]
type = chunker
remote = u:
chunk_size = ${chunk_mb}Mi
CONF
export RCLONE_CONFIG="$work/rclone.conf"
# Under a real-time policy both servers run at priority 50, where .NET puts its thread-pool threads (set_same_priority
# in bench/lib/common.sh); the clients keep the bench's.
set_same_priority
pool() { "${rt[@]}" dotnet "$dll" --config "$work/pool.json" --no-progress "$@"; }
pool init >/dev/null
ours_auth=() theirs_auth=() bench_user=bench bench_pass=bench-pass-4711
if [[ $auth -eq 1 ]]; then
  printf '%s\n%s\n' "$bench_pass" "$bench_pass" | pool user add "$bench_user" >/dev/null
  ours_auth=(--auth basic) theirs_auth=(--user "$bench_user" --pass "$bench_pass")
fi

echo "bench: rclonepool serve vs rclone serve webdav (chunker over union), $(rclone version | head -1)"
echo "       ${size_mb} MiB file, ${chunk_mb} MiB chunks, ${remotes} local remotes each, ${rounds} round(s); cases: ${cases}$([[ $quick -eq 1 ]] && echo " (quick)"); local_direct_reads/writes: ${direct}$([[ $auth -eq 1 ]] && echo "; basic auth on both"); GET client: ${get_client}"
echo "       $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); work dir $work, scratch $shm"

# --- helpers ------------------------------------------------------------------------------------------------
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
die() { echo "bench: $*" >&2; exit 1; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
median_p95_ms() {  # seconds on stdin -> "median p95" in ms
  sort -g | awk '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    i = int(NR * 0.95); if (i < NR * 0.95) i++; printf "%.2f %.2f", m * 1000, v[i] * 1000 }'
}
results=()
row() { local line; line=$(printf '%-52s %12s %12s   %s' "$@"); echo "  $line"; results+=("$line"); }
# report LABEL OURS THEIRS higher|lower : one line with the ratio, kept for the summary.
report() {
  local ratio num den
  if [[ $4 == higher ]]; then num=$2 den=$3 ratio="ours/theirs"; else num=$3 den=$2 ratio="theirs/ours"; fi
  if awk -v d="$den" 'BEGIN { exit !(d + 0 > 0) }'; then ratio="$(calc '%.2f' "$num / $den") $ratio"; else ratio="n/a (too small to measure)"; fi
  row "$1" "$2" "$3" "$ratio"
}

# server_start NAME COMMAND... : starts a server in its own process group and waits for its URL line.
declare -A url pid
server_start() {
  local name="$1"; shift
  setsid "$@" >"$work/$name.log" 2>&1 &
  pid[$name]=$!; server_pids+=("$!")
  for _ in $(seq 1 600); do
    url[$name]=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$work/$name.log" | head -1 || true)
    [[ -n "${url[$name]}" ]] && break
    kill -0 "${pid[$name]}" 2>/dev/null || { cat "$work/$name.log" >&2; die "$name did not start"; }
    sleep 0.1
  done
  [[ -n "${url[$name]}" ]] || die "$name printed no URL within 60 s"
  [[ $auth -eq 1 ]] && url[$name]="http://$bench_user:$bench_pass@${url[$name]#http://}"   # curl sends them on every request
  for _ in $(seq 1 100); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' -X OPTIONS "${url[$name]}") == 200 ]] && return 0
    sleep 0.1
  done
  die "$name does not answer OPTIONS at ${url[$name]}"
}
mkcol() { local code; code=$(curl -s -o /dev/null -w '%{http_code}' -X MKCOL "$1"); [[ $code == 201 || $code == 405 ]] || die "MKCOL $1 gave $code"; }
delete() { curl -s -o /dev/null -X DELETE "$1"; }

# CPU time (clock ticks) of a server's process group leader and its direct children (rclonepool's rclone rcd).
tick=$(getconf CLK_TCK)
declare -A cpu_used
server_cpu() {
  local p="${pid[$1]}" total=0 c
  for c in "$p" $(pgrep -P "$p" || true); do
    total=$((total + $(awk '{ print $14 + $15 }' "/proc/$c/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
# rounds_of FUNCTION : runs FUNCTION SIDE ROUND for both sides, alternating who goes first; FUNCTION appends its
# figure(s) to $work/fig.SIDE; the CPU the server used is added to cpu_used[SIDE] (FUNCTION may set own_cpu
# to count only its timed part).
rounds_of() {
  local fn="$1" r side order c0
  rm -f "$work/fig.ours" "$work/fig.theirs"; cpu_used=([ours]=0 [theirs]=0)
  for ((r = 1; r <= rounds; r++)); do
    order="ours theirs"; (( r % 2 == 0 )) && order="theirs ours"
    for side in $order; do
      c0=$(server_cpu "$side"); own_cpu=""
      "$fn" "$side" "$r"
      cpu_used[$side]=$((cpu_used[$side] + ${own_cpu:-$(( $(server_cpu "$side") - c0 ))}))
    done
  done
}
report_each() {  # each round's figure of the case just run, in round order: the spread behind its median
  row "  each round" "$(paste -sd/ "$work/fig.ours")" "$(paste -sd/ "$work/fig.theirs")" ""
}
report_cpu() {  # report_cpu N : server CPU per round (or per N runs), in seconds
  local n="${1:-$rounds}"
  report "  server CPU per run (s)" "$(calc '%.2f' "${cpu_used[ours]} / $tick / $n")" "$(calc '%.2f' "${cpu_used[theirs]} / $tick / $n")" lower
}

# --- data, stored through each tool's own upload path (not timed) --------------------------------------------
needs_big=0; for c in seek get get4 random put; do has_case $c && needs_big=1; done
if [[ $needs_big -eq 1 ]]; then
  echo "setup: ${size_mb} MiB of random data"
  head -c "$bytes" /dev/urandom > "$work/source.bin"
fi
if has_case seek || has_case get || has_case get4 || has_case random; then
  echo "setup: storing it with rclonepool upload and rclone copyto"
  pool upload "$work/source.bin" /bench/big.bin >"$work/setup.log" 2>&1 || { cat "$work/setup.log" >&2; die "rclonepool upload failed"; }
  rclone copyto --transfers 4 "$work/source.bin" ch:bench/big.bin
fi
if has_case propfind; then
  for n in $dirs; do
    echo "setup: directory of $n files of 100 bytes, with rclonepool upload --parallel and rclone copy --transfers 8"
    mkdir -p "$work/files$n"
    for ((i = 1; i <= n; i++)); do printf '%-99s\n' "file $i of $n" > "$work/files$n/f$(printf '%05d' "$i").txt"; done
    t0=$(now); pool upload --parallel "$work/files$n" "/dir$n" >"$work/setup.log" 2>&1 || { cat "$work/setup.log" >&2; die "rclonepool upload failed"; }; t1=$(now)
    rclone copy --transfers 8 "$work/files$n" "ch:dir$n"; t2=$(now)
    echo "       (not measured: $(calc '%.1f' "$t1 - $t0") s for rclonepool upload, $(calc '%.1f' "$t2 - $t1") s for rclone copy)"
    rm -rf "$work/files$n"
  done
fi
sync

server_start ours "${rt[@]}" dotnet "$dll" --config "$work/pool.json" --no-progress serve --host 127.0.0.1 --port 0 "${ours_auth[@]}"
server_start theirs "${rt[@]}" rclone serve webdav ch: --addr 127.0.0.1:0 "${theirs_auth[@]}"
echo "servers: rclonepool ${url[ours]} (pid ${pid[ours]}), rclone ${url[theirs]} (pid ${pid[theirs]})"
# Warm-up, not measured: a few requests of each kind the cases make, so that neither server's first request
# (rclonepool's JIT, rclone's directory cache) lands in a measurement.
for side in ours theirs; do
  curl -s -o /dev/null -X PROPFIND -H 'Depth: 1' "${url[$side]}"
  if has_case seek || has_case get || has_case get4 || has_case random; then
    for off in 0 $((bytes / 3)) $((bytes / 2)); do curl -s -o /dev/null -r "$off-$((off + block - 1))" "${url[$side]}bench/big.bin"; done
  fi
done
echo
printf '  %-52s %12s %12s   %s\n' "measurement" "rclonepool" "rclone" "ratio (>1: rclonepool better)"

# --- seek: sequential single-range GETs on one connection ----------------------------------------------------
seek_run() {
  local side="$1" r="$2" i=0 off
  : > "$work/seek.cfg"
  while read -r off; do
    i=$((i + 1))
    [[ $i -gt 1 ]] && echo next >> "$work/seek.cfg"
    printf 'url = "%sbench/big.bin"\nrange = "%d-%d"\noutput = "%s/seek.%d"\nwrite-out = "%%{http_code} %%{size_download} %%{time_starttransfer}\\n"\n' \
      "${url[$side]}" "$off" $((off + block - 1)) "$shm" "$i" >> "$work/seek.cfg"
  done < "$work/offsets.$r"
  curl -s -K "$work/seek.cfg" > "$work/seek.out"
  awk -v b=$block '$1 != 206 || $2 != b { bad++ } END { exit bad > 0 }' "$work/seek.out" || die "seek on $side: a range was not 206 with $block bytes"
  i=0
  while read -r off; do   # every range against the source
    i=$((i + 1))
    cmp -s <(tail -c +$((off + 1)) "$work/source.bin" | head -c $block) "$shm/seek.$i" || die "seek on $side: the range at $off differs from the source"
  done < "$work/offsets.$r"
  rm -f "$shm"/seek.*
  awk '{ print $3 }' "$work/seek.out" >> "$work/fig.$side"
}
if has_case seek; then
  for ((r = 1; r <= rounds; r++)); do   # the same offsets for both servers, new ones each round
    awk -v n="$seeks" -v max=$((bytes - block)) -v seed="$r" 'BEGIN { srand(seed); for (i = 0; i < n; i++) printf "%d\n", int(rand() * (max + 1)) }' > "$work/offsets.$r"
  done
  rounds_of seek_run
  read -r om op <<< "$(median_p95_ms < "$work/fig.ours")"; read -r tm tp <<< "$(median_p95_ms < "$work/fig.theirs")"
  report "seek: $((seeks * rounds)) x 64 KiB, TTFB median (ms)" "$om" "$tm" lower
  report "seek: $((seeks * rounds)) x 64 KiB, TTFB p95 (ms)" "$op" "$tp" lower
  report_cpu
fi

# --- full GET ------------------------------------------------------------------------------------------------
# get_one SIDE OUT : one full GET of the big file with the --get-client; writes "STATUS BYTES SECONDS CLIENT-CPU"
# to OUT (the discard client measures its own CPU; curl's is not measured: "-").
get_one() {
  local side="$1" out="$2" plain credentials=()
  if [[ $get_client == discard ]]; then
    plain="${url[$side]}"
    if [[ $auth -eq 1 ]]; then
      plain="http://${plain#http://*@}"
      credentials=("Basic $(printf '%s:%s' "$bench_user" "$bench_pass" | base64 -w0)")
    fi
    "$work/http-get-discard" "${plain}bench/big.bin" "${credentials[@]}" > "$out" || true
  else
    curl -s -o "$shm/get.$(basename "$out")" -w '%{http_code} %{size_download} %{time_total} -\n' "${url[$side]}bench/big.bin" > "$out"
  fi
}
# get_checked SIDE OUT WHAT : get_one, then the status and byte count; with --get-client shm the copy against the source.
get_checked() {
  local side="$1" out="$2" what="$3" code size t cpu
  get_one "$side" "$out"
  read -r code size t cpu < "$out" || true
  [[ $code == 200 && $size == "$bytes" ]] || die "$what on $side gave ${code:-no answer} with ${size:-no} bytes"
  if [[ $get_client == shm ]]; then
    cmp -s "$work/source.bin" "$shm/get.$(basename "$out")" || die "$what on $side differs from the source"
    rm -f "$shm/get.$(basename "$out")"
  fi
}
# The discard client does not keep the bytes: once per case and server, before the timed rounds, curl's copy of
# the whole file is compared with the source (not timed, its CPU not counted).
check_content() {
  local side
  [[ $get_client == discard ]] || return 0
  for side in ours theirs; do
    curl -s "${url[$side]}bench/big.bin" | cmp -s - "$work/source.bin" || die "a full GET on $side differs from the source"
  done
}
declare -A client_cpu
report_client_cpu() {  # report_client_cpu N : the GET client's CPU per run, in seconds (discard client only)
  [[ $get_client == discard ]] || return 0
  report "  client CPU per run (s)" "$(calc '%.2f' "${client_cpu[ours]} / $1")" "$(calc '%.2f' "${client_cpu[theirs]} / $1")" lower
}
get_run() {
  local side="$1" code size t cpu
  get_checked "$side" "$work/get.out" GET
  read -r code size t cpu < "$work/get.out"
  [[ $cpu == - ]] || client_cpu[$side]=$(calc '%.3f' "${client_cpu[$side]} + $cpu")
  calc '%.1f\n' "$bytes / 1e6 / $t" >> "$work/fig.$side"
}
if has_case get; then
  check_content; client_cpu=([ours]=0 [theirs]=0)
  rounds_of get_run
  report "full GET of ${size_mb} MiB (MB/s)" "$(calc '%.1f' "$(median < "$work/fig.ours")")" "$(calc '%.1f' "$(median < "$work/fig.theirs")")" higher
  report_each
  report_cpu
  report_client_cpu "$rounds"
fi

# --- 4 concurrent full GETs ----------------------------------------------------------------------------------
get4_run() {
  local side="$1" t0 t1 i code size t cpu getters=()
  t0=$(now)
  for i in 1 2 3 4; do
    get_one "$side" "$work/get4.$i" &
    getters+=("$!")
  done
  wait "${getters[@]}" || true
  t1=$(now)
  for i in 1 2 3 4; do
    read -r code size t cpu < "$work/get4.$i" || true
    [[ $code == 200 && $size == "$bytes" ]] || die "GET $i of 4 on $side gave ${code:-no answer} with ${size:-no} bytes"
    [[ $cpu == - ]] || client_cpu[$side]=$(calc '%.3f' "${client_cpu[$side]} + $cpu")
    if [[ $get_client == shm ]]; then
      cmp -s "$work/source.bin" "$shm/get.get4.$i" || die "GET $i of 4 on $side differs from the source"
      rm -f "$shm/get.get4.$i"
    fi
  done
  calc '%.1f\n' "4 * $bytes / 1e6 / ($t1 - $t0)" >> "$work/fig.$side"
}
if has_case get4; then
  check_content; client_cpu=([ours]=0 [theirs]=0)
  rounds_of get4_run
  report "4 concurrent full GETs, aggregate (MB/s)" "$(calc '%.1f' "$(median < "$work/fig.ours")")" "$(calc '%.1f' "$(median < "$work/fig.theirs")")" higher
  report_each
  report_cpu
  report_client_cpu "$rounds"
fi

# --- concurrent random 64 KiB ranges (wrk) -------------------------------------------------------------------
random_run() {
  local side="$1" ok bad
  wrk -t2 -c$conns -d${random_s}s --timeout 10s -s "$root/bench/wrk-random-range.lua" "${url[$side]}bench/big.bin" -- "$bytes" "$block" > "$work/wrk.out" 2>&1 \
    || { cat "$work/wrk.out" >&2; die "wrk failed on $side"; }
  ok=$(sed -n 's/^ranges_ok=\([0-9]*\).*/\1/p' "$work/wrk.out"); bad=$(sed -n 's/.*ranges_bad=\([0-9]*\).*/\1/p' "$work/wrk.out")
  [[ -n "$ok" && "$ok" -gt 0 && "$bad" -eq 0 ]] || { cat "$work/wrk.out" >&2; die "random ranges on $side: $ok good, $bad bad answers"; }
  echo "$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$work/wrk.out") $(sed -n 's/.*p50_ms=\([0-9.]*\) p99_ms=\([0-9.]*\).*/\1 \2/p' "$work/wrk.out")" >> "$work/fig.$side"
}
if has_case random; then
  rounds_of random_run
  col() { calc "$3" "$(awk -v c="$1" '{ print $c }' "$2" | median)"; }
  report "random 64 KiB ranges, $conns conns, ${random_s} s (req/s)" "$(col 1 "$work/fig.ours" %.1f)" "$(col 1 "$work/fig.theirs" %.1f)" higher
  report "  latency p50 under that load (ms)" "$(col 2 "$work/fig.ours" %.2f)" "$(col 2 "$work/fig.theirs" %.2f)" lower
  report "  latency p99 under that load (ms)" "$(col 3 "$work/fig.ours" %.2f)" "$(col 3 "$work/fig.theirs" %.2f)" lower
  report_cpu
fi

# --- PROPFIND Depth 1 ----------------------------------------------------------------------------------------
propfind_run() {  # 1 + 3 PROPFINDs; the first goes to fig.SIDE.first
  local side="$1" k code t entries
  for k in 1 2 3 4; do
    read -r code t <<< "$(curl -s -o "$shm/propfind.xml" -X PROPFIND -H 'Depth: 1' -w '%{http_code} %{time_total}' "${url[$side]}dir$pf_n/")"
    [[ $code == 207 ]] || die "PROPFIND dir$pf_n on $side gave $code"
    entries=$(grep -o '<[A-Za-z0-9]*:\{0,1\}response[ >]' "$shm/propfind.xml" | wc -l)
    [[ $entries -eq $((pf_n + 1)) ]] || die "PROPFIND dir$pf_n on $side listed $entries entries, not $((pf_n + 1))"
    if [[ $k -eq 1 ]]; then echo "$t" > "$work/fig.$side.first"; else echo "$t" >> "$work/fig.$side"; fi
  done
}
if has_case propfind; then
  for pf_n in $dirs; do
    saved_rounds=$rounds; rounds=1; rounds_of propfind_run; rounds=$saved_rounds
    report "PROPFIND Depth 1, $pf_n files, first (s)" "$(calc '%.3f' "$(cat "$work/fig.ours.first")")" "$(calc '%.3f' "$(cat "$work/fig.theirs.first")")" lower
    report "PROPFIND Depth 1, $pf_n files, median of 3 more (s)" "$(calc '%.3f' "$(median < "$work/fig.ours")")" "$(calc '%.3f' "$(median < "$work/fig.theirs")")" lower
    report_cpu 4
  done
fi

# --- one big PUT ---------------------------------------------------------------------------------------------
put_run() {  # the PUT is timed and its CPU counted; reading it back and deleting it are not
  local side="$1" r="$2" code t c0
  c0=$(server_cpu "$side")
  read -r code t <<< "$(curl -s -o /dev/null -T "$work/source.bin" -w '%{http_code} %{time_total}' "${url[$side]}put/big$r.bin")"
  own_cpu=$(( $(server_cpu "$side") - c0 ))
  [[ $code == 201 || $code == 204 ]] || die "PUT on $side gave $code"
  calc '%.1f\n' "$bytes / 1e6 / $t" >> "$work/fig.$side"
  curl -s -o "$shm/put-back.bin" "${url[$side]}put/big$r.bin"
  cmp -s "$work/source.bin" "$shm/put-back.bin" || die "PUT on $side: put/big$r.bin read back differs from the source"
  rm -f "$shm/put-back.bin"
  delete "${url[$side]}put/big$r.bin"
}
if has_case put; then
  for side in ours theirs; do mkcol "${url[$side]}put/"; done
  rounds_of put_run
  report "PUT of ${size_mb} MiB (MB/s)" "$(calc '%.1f' "$(median < "$work/fig.ours")")" "$(calc '%.1f' "$(median < "$work/fig.theirs")")" higher
  report_cpu
fi

# --- many small PUTs -----------------------------------------------------------------------------------------
smallput_run() {
  local side="$1" i t0 t1 c0 created entries
  mkcol "${url[$side]}small/"
  : > "$work/small.cfg"
  for ((i = 1; i <= small_n; i++)); do
    printf 'upload-file = "%s"\nurl = "%ssmall/s%05d.txt"\noutput = "/dev/null"\n' "$work/small.txt" "${url[$side]}" "$i" >> "$work/small.cfg"
  done
  c0=$(server_cpu "$side"); t0=$(now)
  curl -s --parallel --parallel-max $put_conns -K "$work/small.cfg" -w '%{http_code}\n' > "$work/small.out" 2>/dev/null || true
  t1=$(now)
  # What the server does after the last answer (rclonepool's deferred manifest compaction) counts in its CPU, and is over
  # before the other side starts: it must not run during the other side's timing.
  settle "$side"; small_cpu[$side]=$(( $(server_cpu "$side") - c0 ))
  created=$(grep -c '^201$' "$work/small.out" || true)
  [[ $created -eq $small_n ]] || { sort "$work/small.out" | uniq -c >&2; die "small PUTs on $side: $created of $small_n answered 201"; }
  calc '%.0f\n' "$small_n / ($t1 - $t0)" >> "$work/fig.$side"
  entries=$(curl -s -X PROPFIND -H 'Depth: 1' "${url[$side]}small/" | grep -o '<[A-Za-z0-9]*:\{0,1\}response[ >]' | wc -l)
  [[ $entries -eq $((small_n + 1)) ]] || die "small PUTs on $side: PROPFIND lists $entries entries, not $((small_n + 1))"
  curl -s "${url[$side]}small/s00007.txt" | cmp -s - "$work/small.txt" || die "small PUTs on $side: a file reads back wrong"
}
# settle SIDE: waits (up to 60 s) until SIDE's server uses under 5 % of a core for a second.
settle() {
  local a b
  for _ in $(seq 1 60); do
    a=$(server_cpu "$1"); sleep 1; b=$(server_cpu "$1")
    (( (b - a) * 100 < 5 * tick )) && return 0
  done
}
declare -A small_cpu
if has_case smallput; then
  printf '%-99s\n' "a small file" > "$work/small.txt"
  # rclone first: it leaves nothing behind, while rclonepool's server compacts its manifests (creating and deleting
  # files) once the burst is over, which would slow the creates of a run after it on the same filesystem.
  rm -f "$work/fig.ours" "$work/fig.theirs"
  for side in theirs ours; do smallput_run "$side"; done
  report "$small_n PUTs of 100 B, $put_conns conns (files/s)" "$(cat "$work/fig.ours")" "$(cat "$work/fig.theirs")" higher
  report "  server CPU per file, until idle (ms)" "$(calc '%.2f' "${small_cpu[ours]} * 1000 / $tick / $small_n")" "$(calc '%.2f' "${small_cpu[theirs]} * 1000 / $tick / $small_n")" lower
fi

rss() { awk '/^VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"; }
rcd=$(pgrep -P "${pid[ours]}" rclone | head -1 || true)
echo
echo "summary ($(date -u +%Y-%m-%dT%H:%MZ); ${size_mb} MiB file, ${chunk_mb} MiB chunks, ${remotes} remotes, ${rounds} round(s); load average now $(cut -d' ' -f1-3 /proc/loadavg)):"
printf '  %-52s %12s %12s   %s\n' "measurement" "rclonepool" "rclone" "ratio (>1: rclonepool better)"
printf '  %s\n' "${results[@]}"
echo "peak RSS: rclonepool serve $(rss "${pid[ours]}") MiB$([[ -n "$rcd" ]] && echo " + its rclone rcd $(rss "$rcd") MiB"), rclone serve webdav $(rss "${pid[theirs]}") MiB"
