#!/usr/bin/env bash
# Several gateways over one pool (issue 19): what the PostgreSQL index costs against SQLite, and what two `serve`
# processes over one PostgreSQL index give, in one run on one machine.
#
#   bench/gateways.sh [--files 4000] [--conns 8] [--remotes 4] [--rounds 3] [--races 20]
#
# A real PostgreSQL (Debian's package: initdb and pg_ctl in a temporary directory, on a Unix socket, default settings:
# fsync and synchronous_commit on) and a pool of local-directory remotes driven by real rclone. Three set-ups, each on a
# fresh pool:
#   sqlite-1  one gateway, the default SQLite index;
#   pg-1      one gateway, index_backend postgresql;
#   pg-2      two gateways over the same PostgreSQL index (each with its own cache and rclone), the PUTs split between
#             them (two curl --parallel clients at once, half the connections each).
# Figures per set-up: --files PUTs of 100-byte files over --conns connections (files/s; every PUT must answer 201),
# PROPFIND Depth 1 of that directory (median of --rounds, ms) through the first gateway and, for pg-2, through the other
# one. pg-2 also: visibility (a file PUT through one gateway, then HEAD through the other: how many answer 200 at once
# and the time from the PUT's answer to the other's 200), and --races rounds of both gateways PUTting different
# content to one path at once (afterwards both must serve the same content, one of the two; `verify` must pass).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=lib/common.sh
source "$root/bench/lib/common.sh"
files=4000 conns=8 remotes=4 rounds=3 races=20
while [[ $# -gt 0 ]]; do
  case "$1" in
    --files) files="$2"; shift 2 ;;
    --conns) conns="$2"; shift 2 ;;
    --remotes) remotes="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --races) races="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

"$root/scripts/install-deps.sh" rclone curl postgresql
"$root/rclonepool" --help >/dev/null   # builds the CLI once, outside the timings
dll="$root/.build/cli/rclonepool.dll"
work="$(mktemp -d "${BENCH_DIR:-/tmp}/rclonepool-gateways.XXXXXX")"
pids=()
pg_bin="" run_as=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -TERM -- "-$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  [[ -z $pg_bin || ! -d $work/pg/data ]] || "${run_as[@]}" "$pg_bin/pg_ctl" -D "$work/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
die() { echo "bench: $*" >&2; exit 1; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# --- PostgreSQL in a temporary directory, on a Unix socket --------------------------------------------------------
pg_bin=$(dirname "$(readlink -f "$(command -v initdb 2>/dev/null || ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")")
[[ -x $pg_bin/pg_ctl ]] || die "PostgreSQL's initdb and pg_ctl are not installed (apt-get install postgresql)"
chmod 711 "$work"   # PostgreSQL runs as nobody when we are root: it must reach its directory
mkdir -p "$work/pg/socket"
if [[ $(id -u) == 0 ]]; then run_as=(runuser -u nobody --); chown -R nobody "$work/pg"; fi
"${run_as[@]}" "$pg_bin/initdb" -D "$work/pg/data" -U postgres --auth trust --encoding UTF8 --locale C >"$work/pg/initdb.log" 2>&1 \
  || { cat "$work/pg/initdb.log" >&2; die "initdb failed"; }
"${run_as[@]}" "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w -t 60 \
  -o "-k $work/pg/socket -c listen_addresses='' -c max_connections=300" start >/dev/null \
  || { cat "$work/pg/server.log" >&2; die "PostgreSQL did not start"; }
psql_admin() { "$pg_bin/psql" -h "$work/pg/socket" -U postgres -d postgres -v ON_ERROR_STOP=1 -q "$@"; }

# --- pools and gateways -------------------------------------------------------------------------------------------
# pool_config FILE NAME BACKEND GATEWAY: remotes under $work/NAME, the index as BACKEND says, caches per gateway.
pool_config() {
  local file="$1" name="$2" backend="$3" gateway="$4" list="" i index=""
  for ((i = 1; i <= remotes; i++)); do mkdir -p "$work/$name/r$i"; list+="\"$work/$name/r$i\","; done
  [[ $backend == sqlite ]] || index=", \"index_backend\": \"postgresql\", \"index_connection_string\": \"Host=$work/pg/socket;Username=postgres;Database=$name\""
  printf '{ "remotes": [%s], "manifest_cache_dir": "%s", "temp_dir": "%s", "show_progress": false%s }\n' \
    "${list%,}" "$work/$name/cache-$gateway" "$work/$name/tmp-$gateway" "$index" > "$file"
}

declare -A url pid
gateway_start() {
  local name="$1" config="$2"
  setsid dotnet "$dll" --config "$config" --no-progress serve --host 127.0.0.1 --port 0 >"$work/$name.log" 2>&1 &
  pid[$name]=$!; pids+=("$!")
  wait_url "$name"
}
mkcol() { local code; code=$(curl -s -o /dev/null -w '%{http_code}' -X MKCOL "$1"); [[ $code == 201 || $code == 405 ]] || die "MKCOL $1 gave $code"; }

# put_many FIRST LAST CONNS URL...: PUTs files FIRST..LAST of small/, spread over the gateways' URLs in turn, one
# curl --parallel client per gateway, all at once; checks that every PUT answered 201.
put_many() {
  local first="$1" last="$2" per="$3" i g; shift 3
  local gateways=("$@") n=${#gateways[@]} client_pids=()
  for ((g = 0; g < n; g++)); do : > "$work/put$g.cfg"; done
  for ((i = first; i <= last; i++)); do
    g=$(((i - first) % n))
    printf 'upload-file = "%s"\nurl = "%ssmall/s%06d.txt"\noutput = "/dev/null"\n' "$work/small.txt" "${gateways[$g]}" "$i" >> "$work/put$g.cfg"
  done
  for ((g = 0; g < n; g++)); do
    curl -s --parallel --parallel-max "$per" -K "$work/put$g.cfg" -w '%{http_code}\n' > "$work/put$g.out" 2>/dev/null &
    client_pids+=("$!")
  done
  for g in "${client_pids[@]}"; do wait "$g" || true; done
  local created
  created=$(cat "$work"/put*.out | grep -c '^201$' || true)
  [[ $created -eq $((last - first + 1)) ]] || { cat "$work"/put*.out | sort | uniq -c >&2; die "$created of $((last - first + 1)) PUTs answered 201"; }
}

# propfind_ms URL ENTRIES: median time of --rounds PROPFIND Depth 1 of URL, which must list ENTRIES entries.
propfind_ms() {
  local target="$1" want="$2" r t entries
  for ((r = 0; r < rounds; r++)); do
    t=$(curl -s -o "$work/propfind.xml" -w '%{time_total}' -X PROPFIND -H 'Depth: 1' "$target")
    entries=$(grep -o '<[A-Za-z0-9]*:\{0,1\}response[ >]' "$work/propfind.xml" | wc -l)
    [[ $entries -eq $want ]] || die "PROPFIND $target listed $entries entries, not $want"
    calc '%.1f\n' "$t * 1000"
  done | median
}

printf '%-99s\n' "a small file" > "$work/small.txt"
echo "bench: gateways; $(rclone version | head -1); PostgreSQL $("$pg_bin/postgres" --version | awk '{ print $3 }'); $(nproc) cores; $files PUTs of 100 B over $conns connections; $remotes local remotes"
printf '%-10s %12s %18s %18s\n' "set-up" "PUT files/s" "PROPFIND first ms" "PROPFIND other ms"

for setup in sqlite-1 pg-1 pg-2; do
  backend=${setup%-*} count=${setup#*-}
  [[ $backend == sqlite ]] || psql_admin -c "CREATE DATABASE \"$setup\""
  pool_config "$work/$setup-a.json" "$setup" "$backend" a
  dotnet "$dll" --config "$work/$setup-a.json" init >"$work/$setup-init.log" 2>&1 || { cat "$work/$setup-init.log" >&2; die "$setup: init failed"; }
  gateway_start "$setup-a" "$work/$setup-a.json"
  gateways=("${url[$setup-a]}")
  if [[ $count == 2 ]]; then
    pool_config "$work/$setup-b.json" "$setup" "$backend" b
    gateway_start "$setup-b" "$work/$setup-b.json"
    gateways+=("${url[$setup-b]}")
  fi
  mkcol "${gateways[0]}small/"
  t0=$(now)
  put_many 1 "$files" $((conns / count)) "${gateways[@]}"
  t1=$(now)
  rate=$(calc '%.0f' "$files / ($t1 - $t0)")
  first=$(propfind_ms "${gateways[0]}small/" $((files + 1)))
  other="-"
  [[ $count == 1 ]] || other=$(propfind_ms "${gateways[1]}small/" $((files + 1)))
  printf '%-10s %12s %18s %18s   load average %s\n' "$setup" "$rate" "$first" "$other" "$(cut -d' ' -f1-3 /proc/loadavg)"
done

# --- pg-2: visibility and racing writers ------------------------------------------------------------------------
a="${url[pg-2-a]}" b="${url[pg-2-b]}"
mkcol "${a}seen/"
at_once=0
: > "$work/lag.ms"
for ((i = 1; i <= 50; i++)); do
  code=$(curl -s -o /dev/null -w '%{http_code}' -T "$work/small.txt" "${a}seen/f$i.txt")
  [[ $code == 201 ]] || die "visibility: PUT through a gave $code"
  t0=$(now) tries=0
  until [[ $(curl -s -o /dev/null -w '%{http_code}' -I "${b}seen/f$i.txt") == 200 ]]; do
    tries=$((tries + 1)); ((tries < 2000)) || die "visibility: f$i.txt not seen through b after 2,000 tries"
    sleep 0.005
  done
  t1=$(now)
  ((tries > 0)) || at_once=$((at_once + 1))
  calc '%.1f\n' "($t1 - $t0) * 1000" >> "$work/lag.ms"
done
echo "visibility (pg-2): $at_once of 50 files PUT through one gateway answered 200 through the other at the first HEAD; from the PUT's answer to the other's 200: median $(median < "$work/lag.ms") ms, most $(sort -n "$work/lag.ms" | tail -1) ms"

mkcol "${a}race/"
head -c 300000 /dev/urandom > "$work/x.bin"
head -c 200000 /dev/urandom > "$work/y.bin"
wins_a=0 wins_b=0
for ((i = 1; i <= races; i++)); do
  curl -s -o /dev/null -T "$work/x.bin" "${a}race/same.bin" & writer_a=$!
  curl -s -o /dev/null -T "$work/y.bin" "${b}race/same.bin" & writer_b=$!
  wait "$writer_a" "$writer_b"   # not a bare wait: the gateways are children too
  curl -s "${a}race/same.bin" > "$work/via-a.bin"
  curl -s "${b}race/same.bin" > "$work/via-b.bin"
  cmp -s "$work/via-a.bin" "$work/via-b.bin" || die "race $i: the two gateways serve different content"
  if cmp -s "$work/via-a.bin" "$work/x.bin"; then wins_a=$((wins_a + 1))
  elif cmp -s "$work/via-a.bin" "$work/y.bin"; then wins_b=$((wins_b + 1))
  else die "race $i: the file is neither writer's content (torn)"; fi
done
dotnet "$dll" --config "$work/pg-2-a.json" verify >"$work/verify.log" 2>&1 || { cat "$work/verify.log" >&2; die "verify after the races failed"; }
echo "racing writers (pg-2): $races rounds, both gateways serve the same content each time, one writer's whole: the first gateway's write won $wins_a, the other's $wins_b; verify: $(tail -1 "$work/verify.log")"
