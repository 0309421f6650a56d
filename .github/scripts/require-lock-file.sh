#!/usr/bin/env bash
# Refuses a stage that uses providers but has no committed
# .terraform.lock.hcl. Without it, init picks whatever versions the registry
# offers that day, never verifies a checksum, and the plan and the apply of
# one change may install different providers. The lock files are made where
# the registry is reachable, with one command (terraform/README.md, "Provider
# lock files"). A builtin-only stage (no provider, no module) has nothing to
# lock. Reads STAGE, the stage folder relative to the workspace.
set -euo pipefail

if [ -z "${STAGE:-}" ] || ! [ -d "$STAGE" ]; then
  echo "::error::STAGE must be a stage folder in the workspace, got '${STAGE:-}'"
  exit 1
fi
if [ -f "$STAGE/.terraform.lock.hcl" ]; then
  echo "$STAGE/.terraform.lock.hcl: providers are pinned by checksum"
  exit 0
fi
shopt -s nullglob
files=("$STAGE"/*.tf)
if [ "${#files[@]}" -eq 0 ] ||
  ! grep -qE '^[[:space:]]*(required_providers|provider[[:space:]]+"|module[[:space:]]+")' "${files[@]}"; then
  echo "$STAGE uses no provider and no module: no lock file needed"
  exit 0
fi
echo "::error file=$STAGE::$STAGE has no .terraform.lock.hcl: commit one made with 'tofu init -backend=false && tofu providers lock -platform=linux_amd64 -platform=darwin_arm64' in $STAGE (terraform/README.md, Provider lock files)"
exit 1
