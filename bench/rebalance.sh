#!/usr/bin/env bash
# Rebalance throughput (issue 15): rclonepool moving chunk objects from one remote to another against `rclone move` of
# the same bytes (the same objects, copied aside beforehand) between the same two remotes, in one run.
#
#   bench/rebalance.sh [--size-mb 2048] [--cloud-size-mb 128] [--bwlimit 16] [--rtt-ms 80]
#                      [--case local,cloud,cloud-duplex,cloud-sftp,cloud-pool,grow]
#
# Both cases: a pool of remotes A and B, redundancy none, 32 MiB chunks, default workers. One random file of SIZE is
# uploaded while the config lists A only (every chunk on A); `rclonepool remote add B` joins B; then
# `rclonepool remote drain A` is timed: it moves every chunk object of A to B (copy, check the hashes on B: by reading
# the copy back, or by B's own hash where B reports one, new manifest revision on both remotes, delete the source). rclone's side: before the drain, A's chunk objects are
# copied aside to A/plain (untimed); `rclone move A/plain B/plain` (default flags: 4 transfers) is timed. Same bytes,
# same object sizes, same two remotes, same direction.
#   local  A is a directory under BENCH_DIR (default /tmp, a disk), B one under /dev/shm: two filesystems, so rclone
#          copies and deletes as it would between two accounts (on one filesystem it would only rename).
#   cloud  A and B are `rclone serve webdav DIR --bwlimit B` each (its own bandwidth, like one cloud account) behind
#          bench/DelayProxy (+RTT per call), as in bench/cloud-vs-rclone.sh. rclone's webdav (vendor other) reports no
#          hash, so every copy is read back.
#   cloud-duplex  the cloud case with the bandwidth limit in the proxy instead of rclone serve: each remote passes
#          --bwlimit MiB/s up and, separately, --bwlimit MiB/s down, as an account's upload and download capacities are
#          separate. `rclone serve --bwlimit` counts both directions against one budget, so in the cloud case the
#          read-back of each copy takes bandwidth from the copies themselves: a checked move there cannot pass half of
#          an unchecked one.
#   cloud-sftp  the same with `rclone serve sftp` remotes, which report md5 and sha1 (as most cloud accounts report a
#          hash): rclonepool checks each copy by B's sha1 instead of reading it back; rclone move checks them too.
#   cloud-pool  the drain of one account of a pool of four, as in bench/cloud-vs-rclone.sh (4 x `rclone serve webdav
#          --bwlimit B`, one budget for both directions, no hash, behind the delay proxy): A holds the file, B, C and D
#          join, `remote drain A` spreads A's objects over them, each copy read back on the remote it went to. rclone's
#          side: `rclone move A/plain U/plain`, U a union of B, C and D (create_policy rand), what a user of rclone's
#          union would run to empty one member. Both are bounded by what A can send; the read-backs fall on three
#          remotes, not one.
#   grow   issue 15's proof at full size (not a comparison; not in the default cases): a pool of 3 local remotes holds
#          SIZE in 8 files; a fourth, empty remote is added with `remote add`; `rebalance` is timed; then the variance
#          (balance-status) must be under the target, every file must read back bit-exact (cmp), `verify` must pass and
#          `orphans` must find nothing.
# BENCH_KEEP_LOGS=DIR: the drain runs with --verbose and its log is copied to DIR.
# MB = 10^6 bytes; the ratio is rclonepool's throughput over rclone's (target >= 0.8). The load average is printed:
# the machine may be shared.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

size_mb=2048 cloud_mb=128 bwlimit=16 rtt_ms=80 cases="local,cloud,cloud-duplex,cloud-sftp,cloud-pool"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --size-mb) size_mb="$2"; shift 2 ;;
    --cloud-size-mb) cloud_mb="$2"; shift 2 ;;
    --bwlimit) bwlimit="${2%M}"; shift 2 ;;
    --rtt-ms) rtt_ms="$2"; shift 2 ;;
    --case) cases="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

"$root/scripts/install-deps.sh" rclone curl
"$root/rclonepool" --help >/dev/null   # builds the CLI once, outside the timings
dll="$root/.build/cli/rclonepool.dll"
work="$(mktemp -d "${BENCH_DIR:-/tmp}/rclonepool-rebalbench.XXXXXX")"
shm="$(mktemp -d /dev/shm/rclonepool-rebalbench.XXXXXX)"
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -TERM -- "-$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$work" "$shm"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
die() { echo "bench: $*" >&2; exit 1; }
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

# pool_config FILE REMOTE... : a config of the given remotes (JSON strings), everything else default but the chunk size.
pool_config() {
  local file="$1" list; shift
  list=$(printf '"%s",' "$@"); list="[${list%,}]"
  printf '{ "remotes": %s, "chunk_size": %d, "manifest_cache_dir": "%s", "temp_dir": "%s", "show_progress": false }\n' \
    "$list" $((32 * 1024 * 1024)) "$work/index-$(basename "$file" .json)" "$shm/tmp" > "$file"
}

# measure NAME A B A_PLAIN B_PLAIN MB : the drain of A into B (one remote, or several separated by spaces) against rclone
# move of A_PLAIN to B_PLAIN; prints a row.
measure() {
  local name="$1" a="$2" b="$3" a_plain="$4" b_plain="$5" mb="$6" config="$work/$1.json" t0 t1 ours theirs bytes
  pool_config "$config" "$a"
  local pool=(dotnet "$dll" --config "$config")
  "${pool[@]}" init >"$work/$name-setup.log" 2>&1 || { cat "$work/$name-setup.log" >&2; die "$name: init failed"; }
  head -c $((mb * 1024 * 1024)) /dev/urandom > "$work/$name.bin"
  "${pool[@]}" ${BENCH_KEEP_LOGS:+--verbose} upload "$work/$name.bin" /big >>"$work/$name-setup.log" 2>&1 || { cat "$work/$name-setup.log" >&2; die "$name: upload failed"; }
  local joining
  for joining in $b; do
    "${pool[@]}" remote add "$joining" >>"$work/$name-setup.log" 2>&1 || { cat "$work/$name-setup.log" >&2; die "$name: remote add $joining failed"; }
  done
  local data="$a/rclonepool_data"; [[ $a == *: ]] && data="${a}rclonepool_data"
  rclone copy "$data" "$a_plain"
  bytes=$(rclone size --json "$a_plain" | sed 's/.*"bytes":\([0-9]*\).*/\1/')
  echo "$name: $(calc '%.0f' "$bytes / 1e6") MB in $(rclone size --json "$a_plain" | sed 's/.*"count":\([0-9]*\).*/\1/') objects; load average $(cut -d' ' -f1-3 /proc/loadavg)"

  t0=$(now)
  "${pool[@]}" ${BENCH_KEEP_LOGS:+--verbose} remote drain "$a" >"$work/$name-drain.log" 2>&1 || { cat "$work/$name-drain.log" >&2; die "$name: remote drain failed"; }
  t1=$(now); ours=$(calc '%.2f' "$bytes / 1e6 / ($t1 - $t0)")
  [[ -z ${BENCH_KEEP_LOGS:-} ]] || cp "$work/$name-drain.log" "$BENCH_KEEP_LOGS/"
  grep -q "nothing of the pool is left on it" "$work/$name-drain.log" || { cat "$work/$name-drain.log" >&2; die "$name: the drain left objects"; }
  "${pool[@]}" cat /big | cmp - "$work/$name.bin" || die "$name: /big does not read back after the drain"
  echo "  rclonepool remote drain: $(calc '%.1f' "$t1 - $t0") s, $ours MB/s"

  t0=$(now)
  rclone move "$a_plain" "$b_plain" >"$work/$name-rclone.log" 2>&1 || { cat "$work/$name-rclone.log" >&2; die "$name: rclone move failed"; }
  t1=$(now); theirs=$(calc '%.2f' "$bytes / 1e6 / ($t1 - $t0)")
  echo "  rclone move:             $(calc '%.1f' "$t1 - $t0") s, $theirs MB/s"
  echo "  ratio (rclonepool / rclone): $(calc '%.2f' "$ours / $theirs")   load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
}

echo "bench: rebalance (remote drain) vs rclone move; $(rclone version | head -1); $(nproc) cores"
if [[ ",$cases," == *",local,"* ]]; then
  mkdir -p "$work/a" "$shm/b"
  measure local "$work/a" "$shm/b" "$work/a/plain" "$shm/b/plain" "$size_mb"
fi

# grow: three local remotes holding SIZE, a fourth joins, rebalance; then the checks of issue 15's proof.
if [[ ",$cases," == *",grow,"* ]]; then
  mkdir -p "$work/grow1" "$work/grow2" "$work/grow3" "$work/grow4" "$work/growsrc"
  pool_config "$work/grow.json" "$work/grow1" "$work/grow2" "$work/grow3"
  grow=(dotnet "$dll" --config "$work/grow.json")
  "${grow[@]}" init >"$work/grow-setup.log" 2>&1 || { cat "$work/grow-setup.log" >&2; die "grow: init failed"; }
  for i in 1 2 3 4 5 6 7 8; do head -c $((size_mb * 1024 * 1024 / 8)) /dev/urandom > "$work/growsrc/f$i.bin"; done
  "${grow[@]}" upload "$work/growsrc" /grow >>"$work/grow-setup.log" 2>&1 || { cat "$work/grow-setup.log" >&2; die "grow: upload failed"; }
  "${grow[@]}" remote add "$work/grow4" >>"$work/grow-setup.log" 2>&1 || { cat "$work/grow-setup.log" >&2; die "grow: remote add failed"; }
  before=$("${grow[@]}" balance-status --json | sed -n 's/.*"variance_percent": *\([0-9.]*\).*/\1/p' | head -1)
  echo "grow: ${size_mb} MiB in 8 files on 3 local remotes, a fourth added; variance ${before} %; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  t0=$(now)
  "${grow[@]}" rebalance >"$work/grow-rebalance.log" 2>&1 || { cat "$work/grow-rebalance.log" >&2; die "grow: rebalance failed"; }
  t1=$(now)
  after=$("${grow[@]}" balance-status --json | sed -n 's/.*"variance_percent": *\([0-9.]*\).*/\1/p' | head -1)
  moved=$(du -sb "$work/grow4/rclonepool_data" | cut -f1)
  echo "  rebalance: $(calc '%.1f' "$t1 - $t0") s, $(calc '%.0f' "$moved / 1e6") MB onto the fourth remote ($(calc '%.1f' "$moved / 1e6 / ($t1 - $t0)") MB/s); variance ${before} % -> ${after} % (target 5)"
  awk -v v="$after" 'BEGIN { exit !(v < 5) }' || die "grow: the variance after rebalance is ${after} %, not under the target"
  for i in 1 2 3 4 5 6 7 8; do "${grow[@]}" cat "/grow/f$i.bin" | cmp - "$work/growsrc/f$i.bin" || die "grow: /grow/f$i.bin does not read back"; done
  echo "  every file reads back bit-exact (cmp, 8 files)"
  "${grow[@]}" verify >"$work/grow-verify.log" 2>&1 || { cat "$work/grow-verify.log" >&2; die "grow: verify failed"; }
  echo "  verify: $(tail -1 "$work/grow-verify.log")"
  orphans=$("${grow[@]}" orphans --json | sed -n 's/.*"orphan_count": *\([0-9]*\).*/\1/p' | head -1)
  [[ "$orphans" == 0 ]] || die "grow: orphans found $orphans orphan objects"
  echo "  orphans: 0 orphan objects"
fi

# cloud_case NAME webdav|sftp [serve|proxy] [COUNT]: COUNT remotes (default 2: a, b; 4: a to d) behind the delay proxy,
# each with its own bandwidth, limited by rclone serve (both directions share it) or by the proxy (each direction its
# own). With more than two, A is drained into the others and rclone moves into a union of them.
cloud_case() {
  local name="$1" kind="$2" limit_in="${3:-serve}" count="${4:-2}" r i port ports=() proxied=() serve_limit=() proxy_limit=()
  local letters=(a b c d e f g h) names=()
  for ((i = 0; i < count; i++)); do names+=("${letters[$i]}"); done
  if [[ $limit_in == proxy ]]; then proxy_limit=(--rate-mibps "$bwlimit"); else serve_limit=(--bwlimit "${bwlimit}M"); fi
  [[ -f "$work/proxy/DelayProxy.dll" ]] || dotnet build -c Release -nologo -v q -o "$work/proxy" "$root/bench/DelayProxy/DelayProxy.csproj" >"$work/proxy-build.log" 2>&1 \
    || { cat "$work/proxy-build.log" >&2; die "DelayProxy does not build"; }
  for r in "${names[@]}"; do
    mkdir -p "$work/$name-$r"
    if [[ $kind == sftp ]]; then
      setsid rclone serve sftp "$work/$name-$r" --addr 127.0.0.1:0 --user bench --pass bench "${serve_limit[@]}" >"$work/$name-$r.log" 2>&1 &
    else
      setsid rclone serve webdav "$work/$name-$r" --addr 127.0.0.1:0 "${serve_limit[@]}" >"$work/$name-$r.log" 2>&1 &
    fi
    pids+=("$!")
  done
  for r in "${names[@]}"; do
    for _ in $(seq 1 300); do grep -q '127\.0\.0\.1:[1-9][0-9]*' "$work/$name-$r.log" && break; sleep 0.1; done
    port=$(grep -o '127\.0\.0\.1:[1-9][0-9]*' "$work/$name-$r.log" | head -1 | sed 's|.*:||')
    [[ -n "$port" ]] || die "rclone serve $kind $r did not start"
    ports+=(--listen 127.0.0.1:0 --target "127.0.0.1:$port")
  done
  setsid dotnet "$work/proxy/DelayProxy.dll" --delay-ms "$(calc '%g' "$rtt_ms / 2")" "${proxy_limit[@]}" "${ports[@]}" >"$work/$name-proxy.log" 2>&1 &
  pids+=("$!")
  for _ in $(seq 1 300); do grep -q '^DelayProxy ready' "$work/$name-proxy.log" 2>/dev/null && break; sleep 0.1; done
  mapfile -t proxied < <(sed -n 's/^listening \(127\.0\.0\.1:[0-9]*\) -> .*/\1/p' "$work/$name-proxy.log")
  [[ ${#proxied[@]} -eq $count ]] || { cat "$work/$name-proxy.log" >&2; die "the delay proxy did not start"; }
  : > "$work/$name-rclone.conf"
  for ((i = 0; i < count; i++)); do
    r="${name}${names[$i]}"
    if [[ $kind == sftp ]]; then
      printf '[%s]\ntype = sftp\nhost = %s\nport = %s\nuser = bench\npass = %s\n\n' "$r" "${proxied[$i]%:*}" "${proxied[$i]##*:}" "$(rclone obscure bench)" >> "$work/$name-rclone.conf"
    else
      printf '[%s]\ntype = webdav\nurl = http://%s/\nvendor = other\n\n' "$r" "${proxied[$i]}" >> "$work/$name-rclone.conf"
    fi
  done
  local joining="" union=""
  for ((i = 1; i < count; i++)); do joining+="${joining:+ }${name}${names[$i]}:"; union+="${union:+ }${name}${names[$i]}:"; done
  if ((count > 2)); then
    printf '[%sunion]\ntype = union\nupstreams = %s\ncreate_policy = rand\n\n' "$name" "$union" >> "$work/$name-rclone.conf"
  fi
  export RCLONE_CONFIG="$work/$name-rclone.conf"
  if [[ $limit_in == proxy ]]; then
    echo "$name: $count remotes, rclone serve $kind, ${bwlimit} MiB/s up and ${bwlimit} MiB/s down each and +${rtt_ms} ms round trip in bench/DelayProxy"
  else
    echo "$name: $count remotes, rclone serve $kind --bwlimit ${bwlimit}M each (both directions share it), +${rtt_ms} ms round trip through bench/DelayProxy"
  fi
  if ((count > 2)); then
    measure "$name" "${name}a:" "$joining" "${name}a:plain" "${name}union:plain" "$cloud_mb"
  else
    measure "$name" "${name}a:" "${name}b:" "${name}a:plain" "${name}b:plain" "$cloud_mb"
  fi
}

if [[ ",$cases," == *",cloud,"* ]]; then
  cloud_case cloud webdav
fi

if [[ ",$cases," == *",cloud-duplex,"* ]]; then
  cloud_case cloud-duplex webdav proxy
fi

if [[ ",$cases," == *",cloud-sftp,"* ]]; then
  cloud_case cloud-sftp sftp
fi

if [[ ",$cases," == *",cloud-pool,"* ]]; then
  cloud_case cloud-pool webdav serve 4
fi
