#!/usr/bin/env bash
# Deploys force-app to an org.
# Usage: deploy.sh [alias=handoff-dev]
set -euo pipefail
# shellcheck source=./env.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

alias="${1:-$DEFAULT_ORG_ALIAS}"

echo "Deploying force-app to '$alias'"
sf project deploy start --source-dir force-app --target-org "$alias" --wait "$ORG_WAIT_MINUTES"
