#!/usr/bin/env bash
# Runs the org's local Apex tests with code coverage; fails when a test fails or the
# org-wide coverage is under the minimum. Results go to artifacts/apex-tests/<alias>/.
# Usage: run-apex-tests.sh [alias=handoff-dev] [min-coverage=90]
set -euo pipefail
# shellcheck source=./env.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

alias="${1:-$DEFAULT_ORG_ALIAS}"
min_coverage="${2:-90}"
out_dir="artifacts/apex-tests/$alias"

rm -rf "$out_dir"
mkdir -p "$out_dir"
echo "Running local Apex tests in '$alias' (results in $out_dir)"
status=0
sf apex run test --target-org "$alias" --test-level RunLocalTests --code-coverage \
  --result-format json --output-dir "$out_dir" --wait "$ORG_WAIT_MINUTES" >"$out_dir/sf-output.json" || status=$?

# Prints the summary and a PASS or FAIL line; sf itself exits 100 when tests fail.
node "$ORG_SCRIPTS_DIR/coverage-check.mjs" "$out_dir" "$min_coverage" || exit 1
if ((status != 0)); then
  echo "FAIL: sf apex run test exited with status $status." >&2
  exit "$status"
fi
