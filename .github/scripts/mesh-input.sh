#!/usr/bin/env bash
# Checks the mesh's settings before any of them becomes a matrix, an action
# input or a Terraform variable: what a person typed into provision.yml's or
# destroy.yml's form, or the repository variables plan.yml plans with.
# Reads the clusters from exactly one of CLUSTERS (the form: comma separated)
# or MESH_CLUSTERS (the repository variable: a JSON list); REGION,
# MESH_ADMIN_PRINCIPAL_ARNS, the role variables AWS_PLAN_ROLE_ARN,
# AWS_MESH_ROLE_ARN and AWS_VERIFY_ROLE_ARN and, in destroy.yml, CONFIRM.
# A run that will change the mesh (APPLY=true, or CONFIRM given) must be on
# the default branch: GITHUB_REF against DEFAULT_BRANCH. Writes clusters (JSON list),
# cluster-list (comma separated), region, admins, plan-principals,
# mesh-principals and verify-principals (JSON lists of role ARNs) to
# GITHUB_OUTPUT. Fails
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

# The clusters' admins: the apply role (it installs the Helm charts), and
# people if wanted. Without it the cluster stage makes whoever applies one.
admins="$(printf '%s' "${MESH_ADMIN_PRINCIPAL_ARNS:-}" | jq -ce '
  if type == "array" and length > 0
    and all(.[]; type == "string"
      and test("\\Aarn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/[^\\s]+\\z"))
  then . else error("") end' 2>/dev/null)" || admins=''
if [ -z "$admins" ]; then
  echo '::error::repository variable MESH_ADMIN_PRINCIPAL_ARNS must be a JSON list of IAM role or user ARNs (the apply role at least)'
  exit 1
fi

# The cluster stage gives each job's role its own access entry: the plan
# role a read-only one, the mesh role the remote secrets' writer, the verify
# role a reader that writes nothing in istio-system (one role may be both
# mesh and verify: one entry with both groups). From the role variables the
# jobs assume, so the entries always name those roles.
role() {
  local name="$1" value="$2"
  if ! [[ "$value" =~ ^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$ ]]; then
    echo "::error::repository variable $name must be an IAM role ARN, e.g. arn:aws:iam::123456789012:role/mesh-plan"
    exit 1
  fi
}
role AWS_PLAN_ROLE_ARN "${AWS_PLAN_ROLE_ARN:-}"
role AWS_MESH_ROLE_ARN "${AWS_MESH_ROLE_ARN:-}"
role AWS_VERIFY_ROLE_ARN "${AWS_VERIFY_ROLE_ARN:-}"
plan_principals="$(jq -cn --arg p "$AWS_PLAN_ROLE_ARN" '[$p]')"
mesh_principals="$(jq -cn --arg m "$AWS_MESH_ROLE_ARN" '[$m]')"
verify_principals="$(jq -cn --arg v "$AWS_VERIFY_ROLE_ARN" '[$v]')"
# EKS allows one access entry per principal, and these roles must not be
# cluster admins: the stage would refuse the overlap; say so here first.
if printf '%s' "$admins" | jq -e --argjson p "$plan_principals" --argjson m "$mesh_principals" \
  --argjson v "$verify_principals" 'any(.[]; . as $a | ($p + $m + $v) | index($a))' >/dev/null; then
  echo '::error::repository variable MESH_ADMIN_PRINCIPAL_ARNS must not list AWS_PLAN_ROLE_ARN, AWS_MESH_ROLE_ARN or AWS_VERIFY_ROLE_ARN: each of those roles gets its own, narrower access entry'
  exit 1
fi
if [ "$AWS_PLAN_ROLE_ARN" = "$AWS_MESH_ROLE_ARN" ] || [ "$AWS_PLAN_ROLE_ARN" = "$AWS_VERIFY_ROLE_ARN" ]; then
  echo '::error::repository variable AWS_PLAN_ROLE_ARN must differ from AWS_MESH_ROLE_ARN and AWS_VERIFY_ROLE_ARN: the read-only plan role gets an access entry of its own'
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
  echo "plan-principals=$plan_principals"
  echo "mesh-principals=$mesh_principals"
  echo "verify-principals=$verify_principals"
} >> "$GITHUB_OUTPUT"
