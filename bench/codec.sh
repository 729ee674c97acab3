#!/usr/bin/env bash
# Reed-Solomon codec beside Intel ISA-L (Debian libisal-dev) on this machine, in one run, single thread.
# For each case prints:   encode 10+4 1MiB ours=31.2 isal=13.9 ratio=2.25   and the same for reconstruct
# (GB/s of data: k x shard size per operation; reconstruct rebuilds the first m data shards).
#
# Usage: bench/codec.sh [--case K+M:SIZE]... [--isal-path auto|avx512|avx2|avx|sse|base] [--rounds N]
#   --case 10+4:1MiB   run only this case (repeatable); default: {3+1,4+2,6+3,10+4} x {64KiB,1MiB}
#   --isal-path P      force one ISA-L implementation (default auto: ISA-L picks by CPUID)
#   --rounds N         run ISA-L and ours alternately N times per case, keep each one's best (default 3)
#   RCLONEPOOL_RS_KERNEL=gfni512|gfni256|avx512|avx2|ssse3|vector128|scalar  forces our kernel
#                      (e.g. RCLONEPOOL_RS_KERNEL=avx2 for the "GFNI disabled" comparison)
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; }

cases=()
isal_path=auto
rounds=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --case) [[ $# -ge 2 ]] || { usage >&2; exit 2; }; cases+=("$2"); shift 2 ;;
    --case=*) cases+=("${1#--case=}"); shift ;;
    --isal-path) [[ $# -ge 2 ]] || { usage >&2; exit 2; }; isal_path="$2"; shift 2 ;;
    --isal-path=*) isal_path="${1#--isal-path=}"; shift ;;
    --rounds) [[ $# -ge 2 && "$2" =~ ^[1-9][0-9]*$ ]] || { usage >&2; exit 2; }; rounds="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "codec.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[[ ${#cases[@]} -gt 0 ]] || cases=(3+1:64KiB 3+1:1MiB 4+2:64KiB 4+2:1MiB 6+3:64KiB 6+3:1MiB 10+4:64KiB 10+4:1MiB)
for c in "${cases[@]}"; do
  if [[ ! "$c" =~ ^[0-9]+\+[0-9]+:[0-9]+(KiB|MiB|B)?$ ]]; then
    echo "codec.sh: '$c' is not a case; write K+M:SIZE, for example 10+4:1MiB" >&2
    exit 2
  fi
done

# --- prerequisites: ISA-L headers and library, a C compiler -------------------------------------------
if [[ ! -f /usr/include/isa-l/erasure_code.h ]] || ! command -v gcc >/dev/null 2>&1; then
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "codec.sh: libisal-dev or gcc is missing and we are not root; install them with: apt-get install libisal-dev gcc" >&2
      exit 69
    fi
  fi
  echo "codec.sh: installing libisal-dev and gcc (Debian packages)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >/dev/null
  $sudo apt-get install -y -qq --no-install-recommends libisal-dev gcc libc6-dev >/dev/null
fi

# --- build both harnesses ------------------------------------------------------------------------------
out="$root/artifacts/bench"
mkdir -p "$out"
gcc -O2 -Wall -Wextra -o "$out/isal_bench" "$root/bench/isal/isal_bench.c" -lisal
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build "$root/bench/RclonePool.Benchmarks" -c Release --nologo -v q -clp:ErrorsOnly -o "$out/dotnet" >/dev/null
ours=("dotnet" "$out/dotnet/RclonePool.Benchmarks.dll" --codec-compare)

# --- what is being compared ----------------------------------------------------------------------------
isal_lib="$(ldconfig -p | awk '/libisal\.so\.2 /{print $NF; exit}')"
isal_version="$(dpkg-query -W -f='${Version}' libisal2 2>/dev/null || echo unknown)"
gfni_symbols="$(nm -D "$isal_lib" 2>/dev/null | grep -ci gfni || true)"
kernel="$("${ours[@]}" --kernel-only)"
echo "# cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'); flags: $(grep -m1 -o -w -E 'gfni|avx512bw|avx2' /proc/cpuinfo | sort -u | tr '\n' ' ')"
echo "# ours: kernel $kernel${RCLONEPOOL_RS_KERNEL:+ (forced by RCLONEPOOL_RS_KERNEL)}"
echo "# isal: libisal2 $isal_version, path $isal_path, GFNI symbols in $isal_lib: $gfni_symbols"
echo "# single thread; GB/s of data; each side: best of $rounds alternating runs x 20 trials of 30 ms (thread CPU time)"

to_bytes() {
  local s="$1"
  case "$s" in
    *MiB) echo $(( ${s%MiB} * 1048576 )) ;;
    *KiB) echo $(( ${s%KiB} * 1024 )) ;;
    *B) echo "${s%B}" ;;
    *) echo "$s" ;;
  esac
}

status=0
for c in "${cases[@]}"; do
  km="${c%%:*}"; size="${c#*:}"
  k="${km%+*}"; m="${km#*+}"
  isal_out=""; ours_out=""
  for ((round = 1; round <= rounds; round++)); do
    isal_out+="$("$out/isal_bench" "$k" "$m" "$(to_bytes "$size")" "$isal_path")"$'\n' || { echo "codec.sh: ISA-L harness failed on $c" >&2; status=1; continue 2; }
    ours_out+="$("${ours[@]}" --case "$c" | grep -v '^kernel ')"$'\n' || { echo "codec.sh: our harness failed on $c" >&2; status=1; continue 2; }
  done
  # Both harnesses print "op K+M SIZE value"; keep each side's best per op and join them by op.
  awk -v ours="$ours_out" -v isal="$isal_out" '
    function best(text, into,    n, i, f, lines) {
      n = split(text, lines, "\n")
      for (i = 1; i <= n; i++) {
        if (split(lines[i], f, " ") < 4) continue
        name = f[2] " " f[3]
        if (f[1] == "check") into[f[1]] = f[4]; else if (f[4] + 0 > into[f[1]] + 0) into[f[1]] = f[4]
      }
    }
    BEGIN {
      best(ours, o); best(isal, s)
      if (o["check"] != s["check"]) printf "# warning: %s parity differs from ISA-L (ours %s, isal %s)\n", name, o["check"], s["check"]
      split("encode reconstruct", ops, " ")
      for (j = 1; j <= 2; j++) {
        op = ops[j]
        printf "%s %s ours=%.1f isal=%.1f ratio=%.2f\n", op, name, o[op], s[op], (s[op] > 0 ? o[op] / s[op] : 0)
      }
    }'
done
exit $status
