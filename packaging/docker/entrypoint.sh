#!/bin/sh
# Entry point of the rclonepool container image.
#
#   (no arguments) or "serve ..."  ->  rclonepool serve --host 0.0.0.0 --port $RCLONEPOOL_PORT ...
#   anything else                  ->  rclonepool ARGS  (user add NAME, key create NAME, init, ls, health, ...)
#
# In a container the server must listen on every address, so authentication is needed (rclonepool refuses to
# serve beyond loopback without it): create a user first, for example
#   docker compose run --rm rclonepool user add alice
# and set "webdav_auth_method": "basic" in the config. RCLONEPOOL_INSECURE_NO_AUTH=1 serves without
# authentication anyway (only behind something that authenticates).
set -eu

bin="${RCLONEPOOL_BIN:-rclonepool}"
port="${RCLONEPOOL_PORT:-8080}"

if [ "$#" -eq 0 ] || [ "$1" = "serve" ]; then
  [ "$#" -gt 0 ] && shift
  if [ "${RCLONEPOOL_INSECURE_NO_AUTH:-0}" = "1" ]; then
    set -- --insecure-no-auth "$@"
  fi
  exec "$bin" serve --host 0.0.0.0 --port "$port" "$@"
fi

exec "$bin" "$@"
