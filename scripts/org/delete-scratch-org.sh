#!/usr/bin/env bash
# Deletes a scratch org without asking.
# Usage: delete-scratch-org.sh [alias=handoff-dev]
set -euo pipefail
# shellcheck source=./env.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

alias="${1:-$DEFAULT_ORG_ALIAS}"

echo "Deleting scratch org '$alias'"
sf org delete scratch --target-org "$alias" --no-prompt
