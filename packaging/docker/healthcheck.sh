#!/bin/sh
# The container's health check: rclonepool answers GET /healthz (no credentials needed) on its port, over HTTP or,
# with enable_https, over HTTPS (the certificate is not checked: this is the container asking itself).
# Exit 0 when healthy, 1 otherwise, as Docker's HEALTHCHECK expects.
port="${RCLONEPOOL_PORT:-8080}"
curl -fsS --max-time 5 -o /dev/null "http://127.0.0.1:${port}/healthz" 2>/dev/null && exit 0
curl -fsSk --max-time 5 -o /dev/null "https://127.0.0.1:${port}/healthz" 2>/dev/null && exit 0
exit 1
