#!/usr/bin/env bash
# Assigns every permission set in force-app/main/shared/permissionsets to the org's admin user, except
# Handoff_Data_Loader: it bypasses the automation, and an admin holding it would import sample deals that never
# become engagements. Assign it by hand for the duration of a data load only.
# Permission sets that are already assigned count as assigned, so it can run again.
# Usage: assign-permsets.sh [alias=handoff-dev]
set -euo pipefail
# shellcheck source=./env.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

alias="${1:-$DEFAULT_ORG_ALIAS}"
dir="force-app/main/shared/permissionsets"

shopt -s nullglob
files=("$dir"/*.permissionset-meta.xml)
if ((${#files[@]} == 0)); then
  echo "No permission sets in $dir: nothing to assign."
  exit 0
fi

names=()
flags=()
for file in "${files[@]}"; do
  name="$(basename "$file" .permissionset-meta.xml)"
  if [ "$name" = "Handoff_Data_Loader" ]; then
    continue
  fi
  names+=("$name")
  flags+=(--name "$name")
done
echo "Assigning permission set(s) ${names[*]} to '$alias'"
result="$(sf org assign permset "${flags[@]}" --target-org "$alias" --json)" || true

# shellcheck disable=SC2016 # JavaScript, not shell
# Succeeds when every failure is only "Duplicate PermissionSetAssignment" (already assigned).
node -e '
  let out;
  try { out = JSON.parse(process.argv[1]); } catch { out = { message: "sf printed no JSON result" }; }
  if (!out.result) { console.error(`sf org assign permset failed: ${out.message}`); process.exit(1); }
  const { successes = [], failures = [] } = out.result;
  successes.forEach((s) => console.log(`Assigned ${s.value} to ${s.name}`));
  const errors = failures.filter((f) => !/duplicate/i.test(f.message));
  failures.filter((f) => !errors.includes(f)).forEach((f) => console.log(`Already assigned: ${f.message}`));
  errors.forEach((f) => console.error(`Could not assign to ${f.name}: ${f.message}`));
  process.exit(errors.length ? 1 : 0);
' "$result"
