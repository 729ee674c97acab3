#!/usr/bin/env bash
# The pool at scale (issue 19): many small files over many local-directory remotes driven by real rclone. Reports the
# upload rate, `ls` of one full directory (process start included), `ls -R /`, WebDAV PROPFIND Depth 1 of that directory
# cold (the first request a fresh `serve` answers) and warm, `index rebuild`, `verify --quick`, `orphans`, the remote
# calls of each job, and the peak resident memory of each CLI command (/usr/bin/time -v) and of `serve` (VmHWM), next
# to the issue's targets.
#
#   bench/scale.sh [--files 20000] [--remotes 10] [--per-dir 10000] [--size 200] [--workers 8] [--one-by-one 1000]
#                  [--no-packing] [--rt] [--keep] [--cli DLL] [--upload-only | --resume WORKDIR]
#
# The pool uses manifest_packing (docs/manifest-format.md; the config default); --no-packing turns it off, for the
# before/after comparison. The manifest objects on the remotes are reported after the upload, after `index compact`, after
# --one-by-one files PUT one at a time through `serve` (each a lone write: single manifests, which serve's automatic
# compaction folds), and after `index rebuild`.
#
# Files are --size bytes each (random; up to 4 KiB they are held inside their manifests, so each file costs one
# manifest object per remote and no chunk object), --per-dir to a directory (the `ls` and PROPFIND directory is the
# first). The headline run is --files 1000000 --remotes 100: it writes files x remotes manifest objects (100 million;
# check `df -i` first). Work files go under $BENCH_DIR (default /tmp) and are removed at the end unless --keep.
# --rt runs the measured commands (and serve) under `chrt -r 5`, so other work on the machine disturbs them less; the
# tree generation and the bookkeeping stay at normal priority. --cli runs that build of the CLI (a published
# rclonepool.dll, e.g. a copy of .build/cli) instead of this checkout's, so the worktree can change during a long run.
# The upload is the long phase and does not depend on the survey code: --upload-only stops after it (the work dir is
# kept and named), and --resume WORKDIR runs the phases after it on that work dir (its upload row is reprinted), with
# whichever --cli is given then. Any command that fails stops the bench with its line,
# the command and its exit status on stderr (and the command's own output, for the timed ones).
set -Eeuo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
files=20000 remotes=10 per_dir=10000 size=200 workers=8 keep=false packing=true one_by_one=1000 rt=()
cli_dll="" upload_only=false resume=
trap 'echo "scale.sh: line $LINENO: \`$BASH_COMMAND\` failed with exit status $?" >&2' ERR
while [[ $# -gt 0 ]]; do
  case "$1" in
    --files) files="$2"; shift 2 ;;
    --remotes) remotes="$2"; shift 2 ;;
    --per-dir) per_dir="$2"; shift 2 ;;
    --size) size="$2"; shift 2 ;;
    --workers) workers="$2"; shift 2 ;;
    --keep) keep=true; shift ;;
    --packing) packing=true; shift ;;
    --no-packing) packing=false; shift ;;
    --one-by-one) one_by_one="$2"; shift 2 ;;
    --rt) rt=(chrt -r 5); shift ;;
    --cli) cli_dll="$(readlink -f "$2")"; shift 2 ;;
    --upload-only) upload_only=true; keep=true; shift ;;
    --resume) resume="$(readlink -f "$2")"; keep=true; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

"$root/scripts/install-deps.sh" rclone curl
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time is missing: apt-get install time" >&2; exit 69; }

if [[ -n "$resume" ]]; then
  [[ -f "$resume/pool.json" && -f "$resume/upload.row" ]] || { echo "--resume $resume: not a work dir kept by --upload-only (no pool.json or upload.row)" >&2; exit 2; }
  work="$resume"
else
  work="$(mktemp -d "${BENCH_DIR:-/tmp}/rclonepool-scale.XXXXXX")"
fi
serve_pid=""
cleanup() {
  if [[ -n "$serve_pid" ]]; then kill "$serve_pid" 2>/dev/null || true; while kill -0 "$serve_pid" 2>/dev/null; do sleep 0.2; done; fi
  if [[ "$keep" == true ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

if [[ -z "$cli_dll" ]]; then
  "$root/rclonepool" --help >/dev/null # builds once, outside the timings
  cli_dll="$root/.build/cli/rclonepool.dll"
fi
[[ -f "$cli_dll" ]] || { echo "--cli $cli_dll: no such file" >&2; exit 2; }
cli=("dotnet" "$cli_dll" "--config" "$work/pool.json" "--no-progress")
[[ ${#rt[@]} -eq 0 ]] || chrt -r 5 true || { echo "--rt: chrt -r 5 is not allowed here (needs CAP_SYS_NICE)" >&2; exit 1; }

rows=()
row() { rows+=("$(printf '%-38s %12s %10s  %s' "$1" "$2" "$3" "$4")"); }
if [[ -z "$resume" ]]; then
list=()
for i in $(seq -w 1 "$remotes"); do mkdir -p "$work/remotes/r$i"; list+=("\"$work/remotes/r$i\""); done
cat >"$work/pool.json" <<JSON
{
  "remotes": [$(IFS=,; echo "${list[*]}")],
  "manifest_cache_dir": "$work/cache",
  "temp_dir": "$work/tmp",
  "max_parallel_workers": $workers,
  "manifest_packing": $packing,
  "show_progress": false,
  "log_level": "WARNING"
}
JSON
"${cli[@]}" init >/dev/null

# The source tree: --files files of --size random bytes, --per-dir to a directory.
python3 - "$work/src" "$files" "$per_dir" "$size" <<'PY'
import os, sys
src, files, per_dir, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
for n in range(files):
    d = os.path.join(src, f"d{n // per_dir:03d}")
    if n % per_dir == 0:
        os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"f{n % per_dir:07d}.bin"), "wb") as f:
        f.write(os.urandom(size))
PY
fi
first_dir_count=$(( files < per_dir ? files : per_dir ))
echo "scale bench: $files files of $size B ($first_dir_count in /scale/d000) over $remotes local remotes, $workers workers; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); work dir $work"

# timed NAME CMD...: runs CMD under /usr/bin/time -v (stdout to $work/NAME.out); sets $secs and $rss_mib.
timed() {
  local name="$1"; shift
  local status=0
  "${rt[@]}" /usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err" || status=$?
  if [[ $status -ne 0 ]]; then
    echo "scale.sh: $name failed with exit status $status: $*" >&2
    tail -20 "$work/$name.err" >&2; tail -5 "$work/$name.out" >&2; grep -E 'Command|Exit status|Elapsed' "$work/$name.time" >&2 || true
    exit 1
  fi
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$work/$name.time")
  rss_mib=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$work/$name.time")
}
calls() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["remote_calls"])' "$1"; }
# Objects may vanish while find walks (serve's compaction removes what it folded): such errors are not failures.
manifest_objects() { { find "$work/remotes" -path '*/rclonepool_manifests/*' -type f 2>/dev/null || true; } | wc -l; }
# What one remote holds for the manifests (packs and single manifests, their stored bytes), in MB: what an account pays for.
manifest_mb() { { find "$work/remotes" -path '*/rclonepool_manifests/*' -type f -printf '%s\n' 2>/dev/null || true; } | awk -v r="$remotes" '{ s += $1 } END { printf "%.1f MB", s / r / 1e6 }'; }
# Distinct packs: a pack of the same name and size on several remotes is the same bytes, which a survey reads once.
distinct_packs() { { find "$work/remotes" -path '*/rclonepool_manifests/pack-*' -type f -printf '%f %s\n' 2>/dev/null || true; } | sort -u | wc -l; }

if [[ -z "$resume" ]]; then
  timed upload "${cli[@]}" upload --parallel "$work/src" /scale
  row "upload (files/s)" "$(awk -v f="$files" -v s="$secs" 'BEGIN { printf "%.0f", f / s }')" "$rss_mib" "${secs} s for $files files; $(manifest_objects) manifest objects on the $remotes remotes (packing $packing), $(manifest_mb) per remote"
  printf '%s\n' "${rows[-1]}" >"$work/upload.row"
  if [[ "$upload_only" == true ]]; then
    printf '%s\n' "${rows[@]}"
    echo "upload done; the later phases: bench/scale.sh --resume $work (with the same --files --remotes --per-dir --size)"
    exit 0
  fi
else
  rows+=("$(cat "$work/upload.row")")
fi

timed index-compact "${cli[@]}" index compact
row "index compact" "$secs s" "$rss_mib" "$(manifest_objects) manifest objects after, $(distinct_packs) distinct packs, $(manifest_mb) per remote ($(head -1 "$work/index-compact.out" | cut -c1-80))"

# The floor under every CLI figure: starting the process and printing the help, on this machine at this moment.
timed help "${cli[@]}" --help
row "process start (rclonepool --help)" "$secs s" "$rss_mib" "what every CLI figure below includes"

best_ls=""
for round in 1 2 3; do
  timed "ls-$round" "${cli[@]}" ls /scale/d000
  got=$(wc -l <"$work/ls-$round.out")
  [[ "$got" -eq "$first_dir_count" ]] || { echo "ls listed $got entries, expected $first_dir_count" >&2; exit 1; }
  best_ls=$(awk -v a="$best_ls" -v b="$secs" 'BEGIN { if (a == "" || b < a) print b; else print a }')
done
row "ls /scale/d000 ($first_dir_count entries)" "$best_ls s" "$rss_mib" "best of 3, process start included; target < 0.15 s"

timed ls-recursive "${cli[@]}" ls -R /
row "ls -R /" "$secs s" "$rss_mib" "$(wc -l <"$work/ls-recursive.out") lines"

# serve: a fresh process, the first PROPFIND of the directory (cold), then the best and median of 10 more (warm).
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"${rt[@]}" "${cli[@]}" serve --port "$port" >"$work/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 1 1200); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break
  kill -0 "$serve_pid" 2>/dev/null || { echo "scale.sh: serve exited before answering:" >&2; tail -20 "$work/serve.log" >&2; serve_pid=""; exit 1; }
  sleep 0.1
done
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || { echo "scale.sh: serve did not answer /healthz within 120 s:" >&2; tail -20 "$work/serve.log" >&2; exit 1; }
# curl -S: a failed request says why (status, refused connection) before the ERR trap names the line.
propfind() { "${rt[@]}" curl -fsS -o "$work/propfind.xml" -w '%{time_total}' -X PROPFIND -H 'Depth: 1' "http://127.0.0.1:$port/scale/d000/"; }
cold=$(propfind)
responses=$(grep -o '<D:response>' "$work/propfind.xml" | wc -l || true)
[[ "$responses" -eq $((first_dir_count + 1)) ]] || responses=$({ grep -oi '<[a-z]*:response>' "$work/propfind.xml" || true; } | wc -l)
warm=()
for _ in $(seq 1 10); do warm+=("$(propfind)"); done
warm_median=$(printf '%s\n' "${warm[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
warm_best=$(printf '%s\n' "${warm[@]}" | sort -g | head -1)
status_times=()
for _ in $(seq 1 10); do status_times+=("$(curl -fsS -o /dev/null -w '%{time_total}' "http://127.0.0.1:$port/_rclonepool/api/v1/status")"); done
status_median=$(printf '%s\n' "${status_times[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
curl -fsS "http://127.0.0.1:$port/_rclonepool/api/v1/status" >"$work/status.json"
# Files PUT one at a time (each a lone manifest write), then what serve's automatic compaction left.
before_put=$(manifest_objects)
head -c "$size" /dev/urandom >"$work/one.bin"
# WebDAV creates no parent collection for a PUT (409 Conflict): make /one first.
curl -fsS -o /dev/null -X MKCOL "http://127.0.0.1:$port/one/"
put_start=$(date +%s.%N)
for n in $(seq 1 "$one_by_one"); do curl -fsS -o /dev/null -T "$work/one.bin" "http://127.0.0.1:$port/one/f$n.bin"; done
put_secs=$(awk -v a="$put_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
if [[ "$packing" == true ]]; then # serve compacts by itself after manifest_compaction_objects (1,000) objects per remote
  for _ in $(seq 1 180); do (( $(manifest_objects) <= before_put + 2 * remotes )) && break; sleep 1; done
fi
serve_rss=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$serve_pid/status")
kill "$serve_pid"; while kill -0 "$serve_pid" 2>/dev/null; do sleep 0.2; done; serve_pid=""
row "PROPFIND Depth 1 /scale/d000/ cold" "$cold s" "-" "$responses responses; first request of a fresh serve; target < 0.1 s"
row "PROPFIND Depth 1 /scale/d000/ warm" "$warm_median s" "-" "median of 10 (best $warm_best s)"
row "GET /_rclonepool/api/v1/status" "$status_median s" "-" "median of 10: $(python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))["pool"]; print(p["files"], "files,", p["directories"], "directories")' "$work/status.json")"
row "serve peak RSS" "$serve_rss MiB" "$serve_rss" "VmHWM after the requests above; target < 300 MiB"
row "$one_by_one PUTs one by one (files/s)" "$(awk -v f="$one_by_one" -v s="$put_secs" 'BEGIN { printf "%.0f", f / s }')" "-" "$put_secs s; manifest objects $before_put before, $(manifest_objects) after, with serve's automatic compaction"

packs_before=$(distinct_packs)
timed index-rebuild "${cli[@]}" index rebuild
row "index rebuild" "$secs s" "$rss_mib" "$(grep -o '([0-9]* remote calls)' "$work/index-rebuild.out"); target < 180 s at 1M files; $packs_before distinct packs before; $(manifest_objects) manifest objects after, $(distinct_packs) distinct packs, $(manifest_mb) per remote"

timed verify-quick "${cli[@]}" verify --quick --json
row "verify --quick" "$secs s" "$rss_mib" "$(calls "$work/verify-quick.out") remote calls"

timed orphans "${cli[@]}" orphans --json
row "orphans" "$secs s" "$rss_mib" "$(calls "$work/orphans.out") remote calls"

timed balance-status "${cli[@]}" balance-status
row "balance-status" "$secs s" "$rss_mib" "objects from the index's totals"

echo
printf '%-38s %12s %10s  %s\n' "what" "figure" "RSS MiB" "notes"
printf '%s\n' "${rows[@]}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); objects on r01: $(find "$work/remotes/r$(printf "%0${#remotes}d" 1)" -type f | wc -l)"
