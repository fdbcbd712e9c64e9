#!/usr/bin/env bash
# npm run package:create: creates the Handoff unlocked package (no namespace) in the Dev Hub, once per Dev Hub.
# sf writes the package id (0Ho...) to sfdx-project.json's packageAliases as "Handoff"; commit that change, since
# `npm run package:version` needs it. Exits 2 within seconds when no Dev Hub is authorized.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=./env.sh source-path=SCRIPTDIR
source "$here/env.sh"

devhub="$(bash "$here/check-devhub.sh")" || exit 2

existing="$(package_alias)"
if [[ -n "$existing" ]]; then
  echo "The Handoff package already exists: sfdx-project.json names it $existing (packageAliases.Handoff)."
  echo "Create a version with: npm run package:version"
  exit 0
fi

echo "Creating the Handoff unlocked package in Dev Hub '$devhub'"
sf package create --name Handoff --package-type Unlocked --path force-app --no-namespace \
  --description "Opportunity-to-Engagement handoff, lifecycle automation and capacity forecasting" \
  --target-dev-hub "$devhub"
echo "sfdx-project.json now names the package (packageAliases.Handoff = $(package_alias)); commit it."
echo "Next: npm run package:version"
