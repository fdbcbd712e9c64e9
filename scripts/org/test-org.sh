#!/usr/bin/env bash
# npm run test:org: the whole pipeline in a throwaway one-day scratch org. Checks for a Dev Hub
# (exit 2 within seconds without one), then creates the org, deploys force-app, assigns the
# permission sets, runs the lifecycle event subscriber as the org's admin, imports sample data, runs the Apex tests (org-wide coverage >= 90%) and
# deletes the org, also when a step fails.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=./env.sh source-path=SCRIPTDIR
source "$here/env.sh"

devhub="$(bash "$here/check-devhub.sh")" || exit 2
export SF_DEVHUB="$devhub"
alias="handoff-test-$(date +%Y%m%d-%H%M%S)-$$"
min_coverage="${MIN_COVERAGE:-90}"

org_requested=false
cleanup() {
  local status=$?
  if [[ "$org_requested" == true ]]; then
    bash "$here/delete-scratch-org.sh" "$alias" ||
      echo "WARNING: could not delete scratch org '$alias'; if it exists, delete it with:" \
        "sf org delete scratch --target-org $alias --no-prompt" >&2
  fi
  if ((status == 0)); then
    echo "test:org PASSED"
  else
    echo "test:org FAILED (exit $status)" >&2
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Runs one step; any failure exits 1 (exit 2 stays reserved for "no Dev Hub").
step() {
  echo "==> $1"
  shift
  "$@" || exit 1
}

org_requested=true
step "Scratch org" env ORG_SET_DEFAULT=false bash "$here/create-scratch-org.sh" "$alias" 1
step "Deploy" bash "$here/deploy.sh" "$alias"
step "Permission sets" bash "$here/assign-permsets.sh" "$alias"
step "Event subscriber" bash "$here/set-event-subscriber.sh" "$alias"
step "Sample data" bash "$here/import-sample-data.sh" "$alias"
step "Apex tests" bash "$here/run-apex-tests.sh" "$alias" "$min_coverage"
