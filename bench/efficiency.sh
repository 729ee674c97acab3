#!/usr/bin/env bash
# Storage efficiency, side by side with restic (issue 17): the same reproducible dataset backed up into a local restic
# repository (repository version 2, compression auto) and uploaded into a pool of N local-directory remotes with
# enable_compression on (and, for reference, off). Prints, per part of the dataset, stored bytes and upload time for
# each, with ratios; then the incompressible case and the seek case.
#
#   bench/efficiency.sh [--remotes 4] [--sdk-mb 128] [--logs-mb 64] [--image-mb 256] [--big-mb 1024] [--rounds 3]
#                       [--seeks 30] [--level 3] [--dedup-chunk-mb 8] [--case table,dedup,parts,incompressible,seek]
#                       [--chunking fixed|cdc] [--cdc-sizes 1M,4M,16M] [--manifest-packing false|true]
#
# Parts of the dataset (made by the script, the same bytes on every run):
#   sdk     the first --sdk-mb MiB of the installed .NET SDK directory, files in path order (many small binaries)
#   logs    --logs-mb MiB of generated log text in 16 files
#   image   a --image-mb MiB "disk image" (4 MiB runs alternating text and random bytes), a copy of it shifted by
#           1,000 bytes and a copy with 64 KiB edited in the middle
# Cases after the table:
#   incompressible  --big-mb MiB of random bytes uploaded with compression on and off, --rounds times alternating
#                   which goes first: median seconds and the ratio of throughputs (on/off; the target is >= 0.95)
#   seek            --seeks single 64 KiB Range GETs at random offsets through 'rclonepool serve' on a 256 MiB text
#                   file stored compressed and the same file stored raw (one pool, two configs, duplicate detection
#                   off so the raw copy does not borrow the compressed chunks), each offset requested from both,
#                   alternating which goes first: TTFB median and p95, ratio compressed/raw (the target is <= 1.2)
#   parts           the image part file by file into restic, a cdc pool and a fixed-chunk dedup pool: what each file adds
# --chunking cdc: the table's compressed pool also has enable_deduplication and chunking "cdc" (--cdc-sizes: min, avg,
# max); the dedup case always shows both, fixed chunks (before) and cdc (after).
# Stored bytes: du -sb of the restic repository; of every pool remote (chunks and the manifests every remote holds).
# Times are wall clock of 'restic backup' and 'rclonepool upload --parallel' (each into an empty store); the table also
# shows the CPU seconds (user + system, child processes included) each used, which a shared, loaded machine disturbs
# less than wall time. The load average is printed before and after. MiB = 2^20 bytes.
# Needs restic, rclone and curl (installed from Debian when missing) and builds the CLI (./rclonepool --help).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=lib/common.sh
source "$root/bench/lib/common.sh"

remotes=4 sdk_mb=128 logs_mb=64 image_mb=256 big_mb=1024 seeks=30 level=3 rounds=3 cases=table,dedup,incompressible,seek dedup_chunk_mb=8
chunking=fixed cdc_sizes=1M,4M,16M packing=default
while [[ $# -gt 0 ]]; do
  case "$1" in
    --remotes) remotes="$2"; shift 2 ;;
    --sdk-mb) sdk_mb="$2"; shift 2 ;;
    --logs-mb) logs_mb="$2"; shift 2 ;;
    --image-mb) image_mb="$2"; shift 2 ;;
    --big-mb) big_mb="$2"; shift 2 ;;
    --seeks) seeks="$2"; shift 2 ;;
    --level) level="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --case) cases="$2"; shift 2 ;;
    --dedup-chunk-mb) dedup_chunk_mb="$2"; shift 2 ;;
    --chunking) chunking="$2"; shift 2 ;;
    --cdc-sizes) cdc_sizes="$2"; shift 2 ;;
    --manifest-packing) packing="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

has_case() { [[ ",$cases," == *",$1,"* ]]; }
[[ "$chunking" == fixed || "$chunking" == cdc ]] || { echo "--chunking must be fixed or cdc" >&2; exit 2; }
[[ "$packing" == default || "$packing" == false || "$packing" == true ]] || { echo "--manifest-packing must be false or true" >&2; exit 2; }
packing_key=""; [[ "$packing" == default ]] || packing_key=", \"manifest_packing\": $packing"   # default: the pool's own default
IFS=, read -r cdc_min cdc_avg cdc_max <<< "$cdc_sizes"
declare -A bytes secs cpu dbytes dsecs
"$root/scripts/install-deps.sh" rclone curl restic
[[ -n "${RCLONEPOOL_BENCH_DLL:-}" ]] || "$root/rclonepool" --help >/dev/null   # builds the CLI once, outside the timings
dll="${RCLONEPOOL_BENCH_DLL:-$root/.build/cli/rclonepool.dll}"   # RCLONEPOOL_BENCH_DLL: another build to compare
# Under a real-time policy the CLI runs at priority 50, where .NET puts its thread-pool threads (set_same_priority in
# bench/lib/common.sh); restic does not set priorities and keeps the bench's.
set_same_priority

work="$(mktemp -d "${BENCH_DIR:-/tmp}/rclonepool-efficiency.XXXXXX")"
shm="$(mktemp -d /dev/shm/rclonepool-efficiency.XXXXXX)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill -TERM -- "-$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work" "$shm"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# timed OUT CMD...: runs CMD with its output in $work/cmd.log and writes "wall user+sys" seconds (its children's CPU
# included: rclone, when started) to OUT; fails as CMD does
timed() {
  local out="$1" TIMEFORMAT='%R %U %S'; shift
  { time "$@" >"$work/cmd.log" 2>&1; } 2>"$out.raw" || return 1
  awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' "$out.raw" > "$out"
}
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
die() { echo "bench: $*" >&2; exit 1; }
mib() { calc '%.1f' "$1 / 1048576"; }
export RESTIC_PASSWORD=bench-not-secret

echo "bench: rclonepool (enable_compression, level $level, $remotes local remotes, table chunking $chunking, cdc sizes $cdc_sizes, manifest_packing $packing) vs $(restic version | head -1)"
echo "       $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); work dir $work"

if has_case table || has_case dedup || has_case parts; then
# --- the dataset ----------------------------------------------------------------------------------------------
data="$work/data"
mkdir -p "$data/sdk" "$data/logs" "$data/image"
sdk="$(dirname "$(readlink -f "$(command -v dotnet)")")/sdk"
(cd "$sdk" && find . -type f -printf '%s %p\n' | sort -k2 | awk -v max=$((sdk_mb * 1048576)) '{ t += $1; if (t <= max) print substr($0, index($0, " ") + 1) }') \
  | tar -C "$sdk" -cf - -T - | tar -C "$data/sdk" -xf -
python3 - "$data" "$logs_mb" "$image_mb" <<'PY'
import random, sys
data, logs_mb, image_mb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
r = random.Random(17)
words = ["GET", "PUT", "/api/v1/files", "200", "404", "upload", "chunk", "remote", "gdrive:", "ok", "retry", "worker"]
def text(n):
    out, size, line = [], 0, 0
    while size < n:
        s = "2026-12-06T10:%02d:%02d worker-%d %s %d\n" % (line // 60 % 60, line % 60, r.randrange(8), " ".join(r.choice(words) for _ in range(6)), r.randrange(100000))
        out.append(s); size += len(s); line += 1
    return "".join(out).encode()[:n]
per = logs_mb * 1048576 // 16
for i in range(16):
    open(f"{data}/logs/app-{i:02d}.log", "wb").write(text(per))
run = 4 * 1048576
image = bytearray()
while len(image) < image_mb * 1048576:
    image += text(run) if (len(image) // run) % 2 == 0 else r.randbytes(run)
image = bytes(image[: image_mb * 1048576])
open(f"{data}/image/disk.img", "wb").write(image)
open(f"{data}/image/disk-shifted.img", "wb").write(r.randbytes(1000) + image)
edited = bytearray(image); mid = len(image) // 2; edited[mid:mid + 65536] = r.randbytes(65536)
open(f"{data}/image/disk-edited.img", "wb").write(bytes(edited))
PY
for part in sdk logs image; do echo "data: $part $(mib "$(du -sb "$data/$part" | cut -f1)") MiB in $(find "$data/$part" -type f | wc -l) files"; done

fi

# make_pool NAME COMPRESSION [DUPLICATE_DETECTION] [DEDUPLICATION] [CHUNKING] : a pool of $remotes empty local remotes with its config at $work/NAME.json
make_pool() {
  local name="$1" compression="$2" duplicates="${3:-true}" dedup="${4:-false}" chunks="${5:-fixed}" list=() i
  for i in $(seq 1 "$remotes"); do mkdir -p "$work/$name/r$i"; list+=("\"$work/$name/r$i\""); done
  cat > "$work/$name.json" <<JSON
{
  "remotes": [$(IFS=,; echo "${list[*]}")],
  "manifest_cache_dir": "$work/$name-index",
  "temp_dir": "$shm/$name-tmp",
  "enable_compression": $compression,
  "compression_level": $level,
  "enable_duplicate_detection": $duplicates,
  "enable_deduplication": $dedup,
  "chunking": "$chunks",
  "cdc_min_chunk_size": "$cdc_min",
  "cdc_avg_chunk_size": "$cdc_avg",
  "cdc_max_chunk_size": "$cdc_max"$packing_key
}
JSON
  "${rt[@]}" dotnet "$dll" --config "$work/$name.json" --no-progress init >/dev/null
}
pool_bytes() { local total=0 i; for i in $(seq 1 "$remotes"); do total=$((total + $(du -sb "$work/$1/r$i" | cut -f1))); done; echo "$total"; }

if has_case table; then
# --- the table: per part, restic vs the pool (compression on; off for reference) ---------------------------------

for part in sdk logs image; do
  restic init --repo "$work/restic-$part" --repository-version 2 >/dev/null
  timed "$work/time" restic backup --repo "$work/restic-$part" --compression auto --quiet "$data/$part" || { cat "$work/cmd.log" >&2; die "restic backup of $part failed"; }
  bytes[restic,$part]=$(du -sb "$work/restic-$part" | cut -f1); read -r "secs[restic,$part]" "cpu[restic,$part]" < "$work/time"
  for mode in on off; do
    if [[ $mode == on && $chunking == cdc ]]; then make_pool "pool-$part-$mode" true true true cdc
    else make_pool "pool-$part-$mode" "$([[ $mode == on ]] && echo true || echo false)"; fi
    timed "$work/time" "${rt[@]}" dotnet "$dll" --config "$work/pool-$part-$mode.json" --no-progress upload --parallel "$data/$part" "/$part" \
      || { cat "$work/cmd.log" >&2; die "rclonepool upload of $part failed"; }
    bytes[$mode,$part]=$(pool_bytes "pool-$part-$mode"); read -r "secs[$mode,$part]" "cpu[$mode,$part]" < "$work/time"
  done
  # Kept until every part ran: on a file system without a journal (ext4 here) each new file or directory skips the
  # inodes deleted in the last minute or more, one inode-table lookup each, so deleting this part's stores right
  # before the next part's timings charged the next uploads (about 1,000 new files in the pool, a few dozen for restic)
  # for the bench's own clean-up (docs/efficiency.md, effic9).
done
rm -rf "$work"/restic-sdk "$work"/restic-logs "$work"/restic-image "$work"/pool-sdk-* "$work"/pool-logs-* "$work"/pool-image-*
echo
printf '  %-6s %12s %12s %12s %9s   %10s %10s %10s %9s   %12s %10s %9s\n' part "restic MiB" "pool MiB" "(no compr.)" "pool/restic" "restic s" "pool s" "(no compr.)" "pool/restic" "restic cpu s" "pool cpu s" "pool/restic"
for part in sdk logs image; do
  printf '  %-6s %12s %12s %12s %9s   %10s %10s %10s %9s   %12s %10s %9s\n' "$part" "$(mib "${bytes[restic,$part]}")" "$(mib "${bytes[on,$part]}")" "$(mib "${bytes[off,$part]}")" \
    "$(calc '%.2f' "${bytes[on,$part]} / ${bytes[restic,$part]}")" "${secs[restic,$part]}" "${secs[on,$part]}" "${secs[off,$part]}" "$(calc '%.2f' "${secs[on,$part]} / ${secs[restic,$part]}")" \
    "${cpu[restic,$part]}" "${cpu[on,$part]}" "$(calc '%.2f' "${cpu[on,$part]} / ${cpu[restic,$part]}")"
done
[[ $chunking == cdc ]] && echo "  (pool: enable_compression + enable_deduplication + chunking cdc $cdc_sizes; no compr.: fixed chunks, no dedup)"
echo "  (targets: stored bytes <= 1.1x restic's, upload time <= 1.0x restic's; the pool keeps a manifest copy on each of its $remotes remotes)"
echo "  (load average after the table: $(cut -d' ' -f1-3 /proc/loadavg))"

fi

if has_case dedup; then
# --- dedup: the image part (an image, a copy shifted by 1000 bytes, a copy with 64 KiB edited), restic vs the pool with
# enable_deduplication (and compression), and without it for reference ------------------------------------------------
restic init --repo "$work/restic-dedup" --repository-version 2 >/dev/null
t0=$(now); restic backup --repo "$work/restic-dedup" --compression auto --quiet "$data/image" >/dev/null; t1=$(now)
dbytes[restic]=$(du -sb "$work/restic-dedup" | cut -f1); dsecs[restic]=$(calc '%.2f' "$t1 - $t0")
for mode in cdc dedup plain; do
  if [[ $mode == cdc ]]; then make_pool "pool-image-$mode" true true true cdc
  else make_pool "pool-image-$mode" true true "$([[ $mode == dedup ]] && echo true || echo false)"; fi
  [[ $mode == cdc ]] || sed -i "s/^{\$/{ \"chunk_size\": $((dedup_chunk_mb * 1048576)),/" "$work/pool-image-$mode.json"
  t0=$(now); "${rt[@]}" dotnet "$dll" --config "$work/pool-image-$mode.json" --no-progress upload --parallel "$data/image" "/image" >"$work/upload.log" 2>&1 \
    || { cat "$work/upload.log" >&2; die "rclonepool upload of the image part ($mode) failed"; }; t1=$(now)
  dbytes[$mode]=$(pool_bytes "pool-image-$mode"); dsecs[$mode]=$(calc '%.2f' "$t1 - $t0")
done
rm -rf "$work/restic-dedup" "$work"/pool-image-*
echo
printf '  %-34s %12s %10s %12s %12s\n' "image + shifted + edited copy" "MiB stored" "seconds" "bytes/restic" "time/restic"
for mode in restic cdc dedup plain; do
  printf '  %-34s %12s %10s %12s %12s\n' "$mode" "$(mib "${dbytes[$mode]}")" "${dsecs[$mode]}" "$(calc '%.2f' "${dbytes[$mode]} / ${dbytes[restic]}")" "$(calc '%.2f' "${dsecs[$mode]} / ${dsecs[restic]}")"
done
echo "  (cdc: enable_deduplication + enable_compression + chunking cdc $cdc_sizes; dedup: the same with fixed $dedup_chunk_mb MiB chunks; plain: compression only, fixed chunks)"
fi

if has_case parts; then
# --- parts: the image part file by file (the image, then the shifted copy, then the edited copy) into one store each:
# restic, the pool with cdc, the pool with fixed-chunk dedup; MiB each file adds to what is stored ---------------------
declare -A added
restic init --repo "$work/restic-parts" --repository-version 2 >/dev/null
make_pool "parts-cdc" true true true cdc
make_pool "parts-dedup" true true true
sed -i "s/^{\$/{ \"chunk_size\": $((dedup_chunk_mb * 1048576)),/" "$work/parts-dedup.json"
for f in disk disk-shifted disk-edited; do
  b0=$(du -sb "$work/restic-parts" | cut -f1)
  t0=$(now); restic backup --repo "$work/restic-parts" --compression auto --quiet "$data/image/$f.img" >/dev/null; t1=$(now)
  added[restic,$f]=$(( $(du -sb "$work/restic-parts" | cut -f1) - b0 )); added[restic,$f,s]=$(calc '%.2f' "$t1 - $t0")
  for mode in cdc dedup; do
    b0=$(pool_bytes "parts-$mode")
    t0=$(now); "${rt[@]}" dotnet "$dll" --config "$work/parts-$mode.json" --no-progress upload "$data/image/$f.img" "/$f.img" >"$work/upload.log" 2>&1 \
      || { cat "$work/upload.log" >&2; die "rclonepool upload of $f ($mode) failed"; }; t1=$(now)
    added[$mode,$f]=$(( $(pool_bytes "parts-$mode") - b0 )); added[$mode,$f,s]=$(calc '%.2f' "$t1 - $t0")
  done
done
rm -rf "$work/restic-parts" "$work"/parts-*
echo
printf '  %-18s %11s %11s %11s %9s   %9s %9s %9s %9s\n' "file (added)" "restic MiB" "cdc MiB" "fixed MiB" "cdc/restic" "restic s" "cdc s" "fixed s" "cdc/restic"
for f in disk disk-shifted disk-edited; do
  printf '  %-18s %11s %11s %11s %9s   %9s %9s %9s %9s\n' "$f.img" "$(mib "${added[restic,$f]}")" "$(mib "${added[cdc,$f]}")" "$(mib "${added[dedup,$f]}")" \
    "$(calc '%.2f' "${added[cdc,$f]} / ${added[restic,$f]}")" "${added[restic,$f,s]}" "${added[cdc,$f,s]}" "${added[dedup,$f,s]}" "$(calc '%.2f' "${added[cdc,$f,s]} / ${added[restic,$f,s]}")"
done
echo "  (each file uploaded on its own, in this order, into one restic repository and two pools: cdc $cdc_sizes, fixed $dedup_chunk_mb MiB chunks; both with dedup and compression)"
fi

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
if has_case incompressible; then
# --- incompressible: compression on vs off ---------------------------------------------------------------------
echo
head -c $((big_mb * 1048576)) /dev/urandom > "$work/random.bin"
: > "$work/big.off"; : > "$work/big.on"
for ((r = 1; r <= rounds; r++)); do
  order="off on"; (( r % 2 == 0 )) && order="on off"
  for mode in $order; do
    make_pool "big-$mode" "$([[ $mode == on ]] && echo true || echo false)"
    t0=$(now); "${rt[@]}" dotnet "$dll" --config "$work/big-$mode.json" --no-progress upload "$work/random.bin" /random.bin >/dev/null 2>&1; t1=$(now)
    calc '%.2f\n' "$t1 - $t0" >> "$work/big.$mode"; bytes[big,$mode]=$(pool_bytes "big-$mode")
    rm -rf "$work/big-$mode" "$work/big-$mode-index"
  done
done
off=$(median < "$work/big.off"); on=$(median < "$work/big.on")
echo "  incompressible ${big_mb} MiB upload, median of $rounds: compression off $off s ($(paste -sd' ' "$work/big.off")), on $on s ($(paste -sd' ' "$work/big.on"));"
echo "  throughput on/off $(calc '%.2f' "$off / $on") (target >= 0.95); stored on/off $(calc '%.4f' "${bytes[big,on]} / ${bytes[big,off]}")"
rm -f "$work/random.bin"
fi

has_case seek || exit 0
# --- seek TTFB: the same text file stored compressed and raw, one pool, two configs --------------------------------
make_pool seek true false
sed 's/"enable_compression": true/"enable_compression": false/' "$work/seek.json" > "$work/seek-raw.json"
python3 - "$work/seek.log" <<'PY'
import random, sys
r = random.Random(5); words = ["GET", "PUT", "/api", "200", "404", "upload", "chunk", "ok"]
with open(sys.argv[1], "wb") as f:
    size = 0
    while size < 256 * 1048576:
        s = ("%d %s\n" % (r.randrange(10**9), " ".join(r.choice(words) for _ in range(8)))).encode(); f.write(s); size += len(s)
PY
truncate -s $((256 * 1048576)) "$work/seek.log"
"${rt[@]}" dotnet "$dll" --config "$work/seek.json" --no-progress upload "$work/seek.log" /compressed.log >/dev/null 2>&1
"${rt[@]}" dotnet "$dll" --config "$work/seek-raw.json" --no-progress upload "$work/seek.log" /raw.log >/dev/null 2>&1
setsid "${rt[@]}" dotnet "$dll" --config "$work/seek.json" --no-progress serve --host 127.0.0.1 --port 0 >"$work/serve.log" 2>&1 &
server_pid=$!
url=""
for _ in $(seq 1 600); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$work/serve.log" | head -1 || true); [[ -n "$url" ]] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log" >&2; die "serve did not start"; }; sleep 0.1
done
[[ -n "$url" ]] || die "serve printed no URL"
block=65536 max=$((256 * 1048576 - 65536))
for f in compressed raw; do for off in 0 $((max / 2)); do curl -s -o /dev/null -r "$off-$((off + block - 1))" "$url$f.log"; done; done   # warm-up
declare -A ttfb
: > "$work/ttfb.compressed"; : > "$work/ttfb.raw"; i=0
awk -v n="$seeks" -v max="$max" 'BEGIN { srand(3); for (i = 0; i < n; i++) printf "%d\n", int(rand() * (max + 1)) }' > "$work/offsets"
while read -r off; do
  order="compressed raw"; (( i++ % 2 == 1 )) && order="raw compressed"
  for f in $order; do
    curl -s -o "$shm/range" -w '%{http_code} %{time_starttransfer}\n' -r "$off-$((off + block - 1))" "$url$f.log" >> "$work/ttfb.$f"
    cmp -s <(tail -c +$((off + 1)) "$work/seek.log" | head -c $block) "$shm/range" || die "seek: $f.log at $off differs from the source"
  done
done < "$work/offsets"
for f in compressed raw; do
  ttfb[$f]=$(awk '$1 != 206 { exit 1 } { print $2 }' "$work/ttfb.$f" | sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; i = int(NR * 0.95); if (i < NR * 0.95) i++; printf "%.2f %.2f", m * 1000, v[i] * 1000 }')
done
read -r cm cp <<< "${ttfb[compressed]}"; read -r rm_ rp <<< "${ttfb[raw]}"
echo "  seek ${seeks} x 64 KiB TTFB: compressed median ${cm} ms p95 ${cp} ms; raw median ${rm_} ms p95 ${rp} ms; median compressed/raw $(calc '%.2f' "$cm / $rm_") (target <= 1.2)"
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
