#!/usr/bin/env bash
# Imports the sample data of scripts/data/sample into an org, if its plan exists, then books resources:
#  1. copies the plan to a temporary directory, filling in the two values only the org knows: the standard price
#     book's Id (PricebookEntry and Opportunity Pricebook2Id) and the running user's Id (Opportunity
#     Delivery_Lead__c, which Closed Won needs); activates the standard price book if it is not active;
#  2. sf data import tree from that copy: the package's triggers turn the deals into engagements, phases, demand;
#  3. runs scripts/data/sample/assign-resources.apex, which books resources for the active engagements' demand.
# The running user must not have the custom permission Handoff_Bypass_Automation (permission set
# Handoff_Data_Loader): the triggers would skip the deals and leave no engagements to staff.
#
# SAMPLE_DATA_TODAY=YYYY-MM-DD (or "today") imports a plan generated for that date instead of the committed one
# (anchored to 2026-11-23), so that a demo org's open deals and planted shortages lie ahead.
# Usage: import-sample-data.sh [alias=handoff-dev]
set -euo pipefail
# shellcheck source=./env.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

alias="${1:-$DEFAULT_ORG_ALIAS}"
sample_dir="scripts/data/sample"
plan="$sample_dir/plan.json"
apex="$sample_dir/assign-resources.apex"

if [[ ! -f "$plan" ]]; then
  echo "No sample data yet ($plan does not exist): nothing to import."
  exit 0
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/handoff-sample.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# Runs sf with --json and prints its output; when sf fails, prints sf's message and exits 1.
sf_json() {
  local out message status=0
  out="$(sf "$@" --json 2>/dev/null)" || status=$?
  if ((status != 0)); then
    message="$(json_get "$out" message)"
    echo "sf $1 $2 failed: ${message:-$out}" >&2
    exit 1
  fi
  printf '%s\n' "$out"
}

# Prints the value at a dotted path (result.records.0.Id) of a JSON text; empty when absent or not JSON.
json_get() {
  # shellcheck disable=SC2016 # JavaScript, not shell
  local script='let v; try { v = JSON.parse(process.argv[1]); for (const k of process.argv[2].split(".")) v = v?.[k]; } catch {}
    console.log(v ?? "");'
  node -e "$script" "$1" "$2"
}

source_dir="$sample_dir"
if [[ -n "${SAMPLE_DATA_TODAY:-}" ]]; then
  today="$SAMPLE_DATA_TODAY"
  [[ "$today" == today ]] && today="$(date +%F)"
  echo "Generating the sample data for $today"
  tsx scripts/data/write-sample-plan.ts --today "$today" --out "$work/generated"
  source_dir="$work/generated"
fi

pricebook="$(sf_json data query --query "SELECT Id, IsActive FROM Pricebook2 WHERE IsStandard = true LIMIT 1" \
  --target-org "$alias")"
pricebook_id="$(json_get "$pricebook" result.records.0.Id)"
if [[ -z "$pricebook_id" ]]; then
  echo "The org has no standard price book (SELECT Id FROM Pricebook2 WHERE IsStandard = true found none)." >&2
  exit 1
fi
if [[ "$(json_get "$pricebook" result.records.0.IsActive)" != true ]]; then
  echo "Activating the standard price book $pricebook_id"
  sf_json data update record --sobject Pricebook2 --record-id "$pricebook_id" --values "IsActive=true" \
    --target-org "$alias" >/dev/null
fi

user="$(sf_json org display user --target-org "$alias")"
user_id="$(json_get "$user" result.id)"
if [[ ! "$user_id" =~ ^005 ]]; then
  echo "Could not find the running user's Id (sf org display user --target-org $alias said: ${user_id:-nothing})." >&2
  exit 1
fi

bypass="$(sf_json data query --target-org "$alias" --query "SELECT Parent.Name FROM SetupEntityAccess \
WHERE SetupEntityType = 'CustomPermission' \
AND SetupEntityId IN (SELECT Id FROM CustomPermission WHERE DeveloperName = 'Handoff_Bypass_Automation') \
AND ParentId IN (SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = '$user_id')")"
if [[ "$(json_get "$bypass" result.totalSize)" != 0 ]]; then
  echo "The running user ($user_id) has the custom permission Handoff_Bypass_Automation" \
    "(permission set $(json_get "$bypass" result.records.0.Parent.Name)): the Handoff triggers would skip the" \
    "sample deals and make no engagements, demand or assignments. Remove that permission set assignment" \
    "(Setup > Users > Permission Set Assignments) and run again." >&2
  exit 1
fi

node "$ORG_SCRIPTS_DIR/fill-sample-plan.mjs" "$source_dir" "$work/plan" "$pricebook_id" "$user_id"
echo "Importing sample data from $source_dir into '$alias' (delivery lead: the running user, $user_id)"
sf data import tree --plan "$work/plan/plan.json" --target-org "$alias"

echo "Booking resources for the demand of the active engagements ($apex)"
result="$(sf_json apex run --file "$apex" --target-org "$alias")"
# Prints what the script logged with System.debug.
# shellcheck disable=SC2016 # JavaScript, not shell
node -e 'for (const line of (JSON.parse(process.argv[1]).result?.logs ?? "").split("\n")) {
    if (line.includes("|USER_DEBUG|")) console.log(line.split("|").pop());
  }' "$result"
