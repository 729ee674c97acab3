#!/usr/bin/env bash
# Installs what the tests need, builds, and runs the whole suite. Prints the totals at the end.
set -uo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
cd "$root"

scripts/install-deps.sh rclone litmus chromium curl systemd-analyze unshare python3-yaml promtool postgresql || exit 1

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if ! dotnet build RclonePool.slnx -c Release --nologo -v q -clp:ErrorsOnly; then
  echo "test.sh: the build failed; the errors are above."
  exit 1
fi

log="$(mktemp)"
status=0
for project in tests/RclonePool.Tests.Unit tests/RclonePool.Tests.Integration; do
  echo "== $project"
  dotnet test --project "$project" -c Release --no-build 2>&1 | tee -a "$log"
  [[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
done

echo "== code style (dotnet format --verify-no-changes)"
if ! dotnet format RclonePool.slnx --verify-no-changes --no-restore; then
  echo "test.sh: code style differs from .editorconfig; run 'dotnet format RclonePool.slnx' and commit."
  status=1
fi

# One closing line with the totals of all test assemblies.
awk '
  $1 == "succeeded:" { p += $2 }
  $1 == "failed:"    { f += $2 }
  $1 == "skipped:"   { s += $2 }
  END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }
' "$log"
rm -f "$log"
exit $status
