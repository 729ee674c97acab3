# Shared by the bench scripts (source it): timing helpers and the rclone setup a user would pick instead of the pool.

# Seconds since the epoch, with nanoseconds.
now() { date +%s.%N; }

# The smaller of two durations; an empty first one (no round yet) gives the second.
best() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b < a) print b; else print a }'; }

# Writes to rclone config file $1 rclone's answer to the pool: remote "ch:", a chunker with $2 MiB chunks over remote
# "u:", a union of the directories that follow.
write_chunker_over_union() {
  local conf="$1" chunk_mb="$2"
  shift 2
  cat > "$conf" <<CONF
[u]
type = union
upstreams = $*

[ch]
type = chunker
remote = u:
chunk_size = ${chunk_mb}Mi
CONF
}

# wait_url NAME [LINE] : waits for the http://127.0.0.1:PORT/ that server NAME prints into $work/NAME.log (on a line
# matching LINE) and for it to answer OPTIONS; sets url[NAME]. The caller declares the associative arrays url and pid
# (pid[NAME]: the server's process) and defines die.
wait_url() {
  local name="$1" line="${2:-.}"
  url[$name]=""
  for _ in $(seq 1 600); do
    url[$name]=$(grep -e "$line" "$work/$name.log" | grep -o 'http://127\.0\.0\.1:[0-9]*/' | head -1 || true)
    [[ -n "${url[$name]}" ]] && break
    kill -0 "${pid[$name]}" 2>/dev/null || { cat "$work/$name.log" >&2; die "$name did not start"; }
    sleep 0.1
  done
  [[ -n "${url[$name]}" ]] || die "$name printed no URL within 60 s"
  for _ in $(seq 1 300); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' -X OPTIONS "${url[$name]}") == 200 ]] && return 0
    sleep 0.1
  done
  die "$name does not answer OPTIONS at ${url[$name]}"
}

# Sets the array rt to the command prefix that runs a .NET process at the priority .NET gives its own threads when
# the bench runs under a real-time policy (`chrt -r 5 bench/...`, as the repository's benchmarks run); empty otherwise.
# .NET starts its thread-pool threads at the policy's middle priority, 50, while the main thread and the runtime's
# own threads keep the inherited one: threads at 50 then spun on a lock held by a thread at 5, which ran only in the
# 5 % the kernel leaves to others (one upload in 30-60 took 10-20 s; docs/efficiency.md, effic9). At 50 all its
# threads are alike. A server compared with another gets the same prefix, so neither preempts the other's client.
set_same_priority() {
  rt=()
  case "$(chrt -p $$ 2>/dev/null)" in
    *SCHED_RR*) rt=(chrt -r 50) ;;
    *SCHED_FIFO*) rt=(chrt -f 50) ;;
  esac
}
