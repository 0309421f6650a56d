#!/usr/bin/env bash
# Refuses to go on while a run of another workflow of this repository is
# queued, waiting or in progress. provision.yml and destroy.yml have
# concurrency groups of their own (a shared group would let a newer run
# cancel a pending destroy), so each checks the other this way before it
# asks for any approval. Reads WORKFLOW (the other's file name), GITHUB_TOKEN
# (actions: read), GITHUB_API_URL, GITHUB_REPOSITORY and GITHUB_RUN_ID.
set -euo pipefail

if ! [[ "${WORKFLOW:-}" =~ ^[A-Za-z0-9._-]+\.ya?ml$ ]]; then
  echo '::error::WORKFLOW must be a workflow file name, e.g. provision.yml'
  exit 1
fi
api="${GITHUB_API_URL:-https://api.github.com}/repos/$GITHUB_REPOSITORY/actions/workflows/$WORKFLOW/runs"
# The token goes to curl on stdin, never on its command line.
active=0
for status in queued requested waiting pending in_progress; do
  body="$(printf 'header = "Authorization: Bearer %s"\n' "$GITHUB_TOKEN" |
    curl --config - --silent --show-error --fail --retry 3 \
      --header 'Accept: application/vnd.github+json' \
      --header 'X-GitHub-Api-Version: 2022-11-28' \
      "$api?status=$status&per_page=100")" || {
    echo "::error::could not list the runs of $WORKFLOW (status $status): is actions: read granted?"
    exit 1
  }
  n="$(printf '%s' "$body" | jq --arg self "${GITHUB_RUN_ID:-0}" \
    '[.workflow_runs[] | select((.id | tostring) != $self)] | length')"
  active=$((active + n))
done
if [ "$active" -gt 0 ]; then
  echo "::error::$active run(s) of $WORKFLOW are queued, waiting or in progress: wait for them to finish (or cancel them), then start this one again"
  exit 1
fi
echo "no run of $WORKFLOW is active"
