#!/usr/bin/env bash
# Checks within seconds, without the network, that a Dev Hub is authorized on this machine:
# the Dev Hub named by $SF_DEVHUB or sf's target-dev-hub config must be among the local
# authorizations that `sf org list auth` reads from ~/.sfdx. (`sf org list` is not used: it
# contacts every org it knows.) Prints the Dev Hub on stdout; exits 2 with instructions if there is none.
set -euo pipefail
# shellcheck source=./env.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

fail() {
  {
    echo "No authorized Dev Hub: $1"
    echo "A Dev Hub is needed to create scratch orgs. Authorize yours once (it becomes the default Dev Hub) with:"
    echo "  sf org login web --set-default-dev-hub --alias devhub"
    echo "(sf is in node_modules/.bin: run it as 'npx sf ...' if it is not on your PATH),"
    echo "or set SF_DEVHUB to the alias or username of a Dev Hub that is already authorized."
  } >&2
  exit 2
}

devhub="$(resolve_devhub)"
[[ -n "$devhub" ]] || fail "neither SF_DEVHUB nor sf's target-dev-hub config is set."

auths="$(sf_local org list auth --json 2>/dev/null)" ||
  fail "could not list this machine's authorizations ('sf org list auth' failed or timed out)."

# found | not-a-devhub | missing | error:<message>
# shellcheck disable=SC2016 # JavaScript, not shell
state="$(
  node -e '
    const [json, hub] = process.argv.slice(1);
    const auths = JSON.parse(json).result || [];
    const auth = auths.find((a) => a.username === hub || String(a.alias || "").split(",").includes(hub));
    console.log(!auth ? "missing" : auth.error ? `error:${auth.error}` : auth.isDevHub ? "found" : "not-a-devhub");
  ' "$auths" "$devhub"
)" || fail "could not read the output of 'sf org list auth'."

case "$state" in
  found) ;;
  not-a-devhub)
    echo "Warning: '$devhub' is authorized but was not recognised as a Dev Hub when it logged in;" \
      "creating a scratch org may fail (enable Dev Hub in its Setup, then log in again)." >&2
    ;;
  missing) fail "the Dev Hub is set to '$devhub', but no org with that alias or username is authorized here." ;;
  *) fail "the authorization of '$devhub' cannot be read (${state#error:})." ;;
esac
echo "$devhub"
