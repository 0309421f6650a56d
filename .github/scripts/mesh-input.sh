#!/usr/bin/env bash
# Checks the mesh's settings before any of them becomes a matrix, an action
# input or a Terraform variable: what a person typed into provision.yml's or
# destroy.yml's form, or the repository variables plan.yml plans with.
# Reads the clusters from exactly one of CLUSTERS (the form: comma separated)
# or MESH_CLUSTERS (the repository variable: a JSON list); REGION,
# MESH_ADMIN_PRINCIPAL_ARNS and, in destroy.yml, CONFIRM. A run that will
# change the mesh (APPLY=true, or CONFIRM given) must be on the default
# branch: GITHUB_REF against DEFAULT_BRANCH. Writes clusters (JSON list),
# cluster-list (comma separated), region and admins to GITHUB_OUTPUT. Fails
# naming the field; prints no other value.
set -euo pipefail

# \A and \z: jq's ^ and $ would also match around a line break.
names='length >= 2
  and all(.[]; type == "string"
    and test("\\A[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\\z"))
  and (unique | length) == length'
if [ -n "${CLUSTERS+set}" ] && [ -n "${MESH_CLUSTERS+set}" ]; then
  echo '::error::give the clusters once: input clusters or repository variable MESH_CLUSTERS, not both'
  exit 1
elif [ -n "${MESH_CLUSTERS+set}" ]; then
  clusters="$(printf '%s' "$MESH_CLUSTERS" | jq -ce "
    if type == \"array\" and $names then . else error(\"\") end" 2>/dev/null)" || clusters=''
  if [ -z "$clusters" ]; then
    echo '::error::repository variable MESH_CLUSTERS must be a JSON list of two or more unique DNS-1123 cluster names, e.g. ["cluster-1","cluster-2"]'
    exit 1
  fi
else
  clusters="$(printf '%s' "${CLUSTERS:-}" | jq -Rsce "
    [splits(\",\") | gsub(\"\\\\A\\\\s+|\\\\s+\\\\z\"; \"\")]
    | if $names then . else error(\"\") end" 2>/dev/null)" || clusters=''
  if [ -z "$clusters" ]; then
    echo '::error::input clusters must be two or more unique DNS-1123 cluster names, comma separated, e.g. cluster-1,cluster-2'
    exit 1
  fi
fi
list="$(printf '%s' "$clusters" | jq -r 'join(",")')"

if ! [[ "${REGION:-}" =~ ^[a-z]{2}(-[a-z]+)+-[0-9]+$ ]]; then
  echo '::error::input region must be an AWS region name, e.g. eu-west-1'
  exit 1
fi

# Without it the cluster stage makes only the applying role a cluster admin,
# and exchange-secrets could not reach the clusters.
admins="$(printf '%s' "${MESH_ADMIN_PRINCIPAL_ARNS:-}" | jq -ce '
  if type == "array" and length > 0
    and all(.[]; type == "string"
      and test("\\Aarn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/[^\\s]+\\z"))
  then . else error("") end' 2>/dev/null)" || admins=''
if [ -z "$admins" ]; then
  echo '::error::repository variable MESH_ADMIN_PRINCIPAL_ARNS must be a JSON list of IAM role or user ARNs (the apply role and the mesh role at least)'
  exit 1
fi

if [ -n "${CONFIRM+set}" ] && [ "$CONFIRM" != "destroy $list" ]; then
  echo "::error::input confirm must be exactly: destroy $list"
  exit 1
fi

# The environments allow the default branch only; failing here says why,
# before any job waits for an approval that could never be used.
if [ "${APPLY:-false}" = true ] || [ -n "${CONFIRM+set}" ]; then
  if [ -z "${DEFAULT_BRANCH:-}" ] || [ "${GITHUB_REF:-}" != "refs/heads/$DEFAULT_BRANCH" ]; then
    echo "::error::a run that changes the mesh must start from the default branch (${DEFAULT_BRANCH:-unknown}); this one is on ${GITHUB_REF:-an unknown ref}"
    exit 1
  fi
fi

{
  echo "clusters=$clusters"
  echo "cluster-list=$list"
  echo "region=$REGION"
  echo "admins=$admins"
} >> "$GITHUB_OUTPUT"
