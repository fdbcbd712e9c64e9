#!/usr/bin/env bash
# Imports the sample records of scripts/data/sample/plan.json into an org, if the plan exists.
# Usage: import-sample-data.sh [alias=handoff-dev]
set -euo pipefail
# shellcheck source=./env.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

alias="${1:-$DEFAULT_ORG_ALIAS}"
plan="scripts/data/sample/plan.json"

if [[ ! -f "$plan" ]]; then
  echo "No sample data yet ($plan does not exist): nothing to import."
  exit 0
fi
echo "Importing sample data from $plan into '$alias'"
sf data import tree --plan "$plan" --target-org "$alias"
