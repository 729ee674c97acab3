#!/usr/bin/env bash
# Installs the named prerequisites from Debian's packages when they are missing.
# Usage: scripts/install-deps.sh [rclone] [litmus] [chromium] [curl] [systemd-analyze] [unshare] [python3-yaml] [promtool] [postgresql]
set -euo pipefail
declare -A pkg=([rclone]=rclone [litmus]=litmus [chromium]=chromium [curl]=curl [systemd-analyze]=systemd [unshare]=util-linux [python3-yaml]=python3-yaml [promtool]=prometheus)
missing=()
for tool in "$@"; do
  if [[ $tool == python3-yaml ]]; then
    python3 -c 'import yaml' >/dev/null 2>&1 || missing+=(python3-yaml)
  elif [[ $tool == postgresql ]]; then
    # Debian keeps initdb and pg_ctl off PATH, under /usr/lib/postgresql/VERSION/bin.
    { command -v initdb || compgen -G '/usr/lib/postgresql/*/bin/initdb'; } >/dev/null 2>&1 || missing+=(postgresql)
  else
    command -v "$tool" >/dev/null 2>&1 || missing+=("${pkg[$tool]:-$tool}")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "install-deps: ${missing[*]} missing and not root; install them with: apt-get install ${missing[*]}" >&2
    exit 69
  fi
fi
echo "install-deps: installing ${missing[*]} (Debian packages)..." >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
