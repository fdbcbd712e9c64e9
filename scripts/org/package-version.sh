#!/usr/bin/env bash
# npm run package:version: creates a version of the Handoff unlocked package in the Dev Hub, running the Apex
# tests for code coverage (a version can only be promoted with --code-coverage and at least 75% coverage). The
# build org gets the features of config/project-scratch-def.json (sfdx-project.json's definitionFile), such as
# opportunity teams. Exits 2 within seconds when no Dev Hub is authorized, 3 when the package was never created.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=./env.sh source-path=SCRIPTDIR
source "$here/env.sh"

# Minutes to wait for the version: the build runs every Apex test, which often takes longer than a deploy.
wait_minutes="${PACKAGE_WAIT_MINUTES:-60}"

devhub="$(bash "$here/check-devhub.sh")" || exit 2

if [[ -z "$(package_alias)" ]]; then
  {
    echo "The Handoff package does not exist yet: sfdx-project.json has no packageAliases.Handoff (0Ho...)."
    echo "Create it once per Dev Hub with: npm run package:create"
  } >&2
  exit 3
fi

echo "Creating a Handoff package version in Dev Hub '$devhub' (Apex tests for coverage; up to $wait_minutes minutes)"
status=0
output="$(sf package version create --package Handoff --code-coverage --installation-key-bypass \
  --wait "$wait_minutes" --target-dev-hub "$devhub" --json)" || status=$?

# Prints "<04t id> <status> <request id> <message>" from sf's JSON; empty fields as "-".
# shellcheck disable=SC2016 # JavaScript, not shell
read -r version state request message < <(
  node -e '
    let json = {};
    try { json = JSON.parse(process.argv[1]); } catch {}
    const r = json.result || {};
    const message = (json.message || r.Error?.join?.("; ") || "-").replace(/\s+/g, " ");
    console.log([r.SubscriberPackageVersionId || "-", r.Status || "-", r.Id || "-", message].join(" "));
  ' "$output"
) || true

if [[ "$status" -eq 0 && "$version" == 04t* && "$state" == "Success" ]]; then
  echo "Package version created: $version (sfdx-project.json's packageAliases name it too; commit that change)."
  echo "Install it in an org with:"
  echo "  sf package install --package $version --wait 10 --security-type AdminsOnly --target-org <your org>"
  exit 0
fi
{
  echo "The package version was not created (status ${state}): ${message}"
  if [[ "$request" == 08c* ]]; then
    echo "Follow the request with: sf package version create report --package-create-request-id $request --target-dev-hub $devhub"
  fi
} >&2
exit 1
