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
