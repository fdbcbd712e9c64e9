#!/usr/bin/env bash
# Creates a scratch org from config/project-scratch-def.json.
# Usage: create-scratch-org.sh [alias=handoff-dev] [days=7]
# It becomes your default org unless ORG_SET_DEFAULT=false.
set -euo pipefail
# shellcheck source=./env.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

alias="${1:-$DEFAULT_ORG_ALIAS}"
days="${2:-7}"

create=(sf org create scratch --definition-file config/project-scratch-def.json --alias "$alias"
  --duration-days "$days" --wait "$ORG_WAIT_MINUTES")
if [[ "${ORG_SET_DEFAULT:-true}" != false ]]; then
  create+=(--set-default)
fi
devhub="$(resolve_devhub)"
if [[ -n "$devhub" ]]; then
  create+=(--target-dev-hub "$devhub")
fi

echo "Creating scratch org '$alias' for $days day(s) from Dev Hub '${devhub:-(sf default)}'"
"${create[@]}"
