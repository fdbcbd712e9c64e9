# shellcheck shell=bash
# Sourced by every script in scripts/org/: one place for how `sf` runs here.

# Keep `sf` from updating itself, checking for new versions or sending telemetry;
# otherwise it leaves background processes behind (an updater, a telemetry uploader).
export SF_DISABLE_AUTOUPDATE=true
export SF_AUTOUPDATE_DISABLE=true
export SF_SKIP_NEW_VERSION_CHECK=true
export SF_DISABLE_TELEMETRY=true
export SF_HIDE_RELEASE_NOTES=true

ORG_SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROJECT_ROOT="$(cd "$ORG_SCRIPTS_DIR/../.." && pwd)"
# The project's own sf and Node 22 (node_modules/.bin/node) come first.
export PATH="$PROJECT_ROOT/node_modules/.bin:$PATH"
cd "$PROJECT_ROOT" || exit 1

# shellcheck disable=SC2034 # used by the scripts that source this file
DEFAULT_ORG_ALIAS="handoff-dev"
# Minutes sf waits for a scratch org, a deployment or a test run.
ORG_WAIT_MINUTES="${ORG_WAIT_MINUTES:-30}"
# Seconds allowed for an sf command that only reads local files.
ORG_LOCAL_TIMEOUT="${ORG_LOCAL_TIMEOUT:-30}"

# Runs an sf command that only reads local files, under a time limit where `timeout` exists
# (macOS has it only with coreutils).
sf_local() {
  if command -v timeout >/dev/null; then
    timeout "$ORG_LOCAL_TIMEOUT" sf "$@"
  else
    sf "$@"
  fi
}

# Prints the Dev Hub to use: $SF_DEVHUB, else sf's target-dev-hub config (local, no network).
# Prints nothing when neither is set.
resolve_devhub() {
  if [[ -n "${SF_DEVHUB:-}" ]]; then
    echo "$SF_DEVHUB"
    return 0
  fi
  local json
  json="$(sf_local config get target-dev-hub --json 2>/dev/null)" || json="{}"
  node -e 'const r = JSON.parse(process.argv[1]).result; console.log((r && r[0] && r[0].value) || "")' "$json" ||
    true
}

# Prints the Handoff package id (0Ho...) from sfdx-project.json's packageAliases, or nothing before
# `npm run package:create` has written it.
package_alias() {
  node -e '
    const aliases = JSON.parse(require("fs").readFileSync("sfdx-project.json", "utf8")).packageAliases || {};
    console.log(aliases.Handoff || "");
  '
}
