#!/usr/bin/env bash
# The gate of action.yml, usable from any repository that holds a contracts/ folder:
#   1. `contracts check --against BASE` (lint, semver vs compatibility, released versions unchanged),
#      with GitHub annotations on the files (GITHUB_ACTIONS=true makes the gate print them);
#   2. the changelog of every version added since BASE against its predecessor, as Markdown in the
#      job summary ($GITHUB_STEP_SUMMARY; stdout when unset).
# Environment: CONTRACTS_BASE_REF (a commit; empty or unknown: no comparison with the base),
# CONTRACTS_DIR (default: contracts), CONTRACTS_BIN (default: contracts on PATH).
# Exit status: the gate's (0 pass, 1 fail, 2 usage error).
set -uo pipefail
bin=${CONTRACTS_BIN:-contracts}
dir=${CONTRACTS_DIR:-contracts}
base=${CONTRACTS_BASE_REF:-}
summary=${GITHUB_STEP_SUMMARY:-/dev/stdout}
export GITHUB_ACTIONS=${GITHUB_ACTIONS:-true}

if [ -n "$base" ] && ! git rev-parse -q --verify "$base^{commit}" >/dev/null 2>&1; then
  # A push that opens a branch has no base (all zeros), a shallow clone lacks it: say so, check the rest.
  echo "::warning title=contracts::base $base is not in this clone (checkout with fetch-depth: 0); released versions are checked against contracts.lock only"
  base=""
fi

args=(check --contracts-dir "$dir")
[ -n "$base" ] && args+=(--against "$base")
"$bin" "${args[@]}"
status=$?

# Versions sorted as semver orders them: a pre-release before its release (1.0.0-rc.1 < 1.0.0).
sorted_versions() {
  for v in "$1"/*/; do [ -f "$v/openapi.yaml" ] && basename "$v"; done | sed 's/-/~/' | sort -V | sed 's/~/-/'
}

is_new() {  # whether contracts/NAME/VERSION is absent at the base commit
  [ -z "$base" ] || ! git cat-file -e "$base:$1/openapi.yaml" 2>/dev/null
}

markdown=false
"$bin" diff --help 2>/dev/null | grep -q markdown && markdown=true

{
  if [ "$status" -eq 0 ]; then
    echo "## ✅ contracts check passed"
  else
    echo "## ❌ contracts check failed (exit $status)"
  fi
  echo
  echo "${base:+Compared with \`$base\`.}"
  found=false
  for folder in "$dir"/*/; do
    [ -d "$folder" ] || continue
    name=$(basename "$folder")
    previous=""
    for version in $(sorted_versions "$folder"); do
      if [ -n "$previous" ] && is_new "${folder%/}/$version"; then
        found=true
        echo
        echo "### $name $previous → $version"
        echo
        if $markdown; then
          "$bin" diff "$name@$previous" "$name@$version" --contracts-dir "$dir" --format markdown
        else
          echo '```'
          NO_COLOR=1 "$bin" diff "$name@$previous" "$name@$version" --contracts-dir "$dir"
          echo '```'
        fi
      fi
      previous=$version
    done
  done
  $found || { echo; echo "No new contract version."; }
} >> "$summary" 2>&1

exit "$status"
