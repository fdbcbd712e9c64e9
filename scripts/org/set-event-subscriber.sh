#!/usr/bin/env bash
# Sets who runs the lifecycle event subscriber (HandoffLifecycleEventTrigger, which asks the capacity service for a
# forecast) and its batch size, by deploying a PlatformEventSubscriberConfig. Without one, a platform event trigger
# runs as the Automated Process user, who holds no permission set and so cannot call out through the
# Handoff_Capacity_Service named credential. The user is org-specific (a username), so the package cannot ship it:
# run this once per org, after deploying force-app, with the integration user who holds Handoff_Capacity_Integration.
#
# Usage: set-event-subscriber.sh [alias=handoff-dev] [username=the org's admin user] [batch size=200]
# The default user suits a scratch org, whose admin holds every Handoff permission set (org:permsets).
set -euo pipefail
# shellcheck source=./env.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

alias="${1:-$DEFAULT_ORG_ALIAS}"
username="${2:-}"
batch_size="${3:-200}"
config_name="HandoffLifecycleEventSubscriber"

# Metadata API: batchSize is 1 through 2,000 (the default for platform event triggers is 2,000).
if ! [[ "$batch_size" =~ ^[0-9]+$ ]] || ((batch_size < 1 || batch_size > 2000)); then
  echo "Batch size must be a whole number from 1 through 2000, not '$batch_size'." >&2
  exit 1
fi

if [[ -z "$username" ]]; then
  display="$(sf org display --target-org "$alias" --json)" || {
    echo "Could not read the username of '$alias' (sf org display failed); pass the username as the second argument." >&2
    exit 1
  }
  # shellcheck disable=SC2016 # JavaScript, not shell
  username="$(node -e '
    let out = {};
    try { out = JSON.parse(process.argv[1]); } catch {}
    process.stdout.write((out.result && out.result.username) || "");
  ' "$display")"
  if [[ -z "$username" ]]; then
    echo "sf org display gave no username for '$alias'; pass the username as the second argument." >&2
    exit 1
  fi
fi

# shellcheck disable=SC2016 # JavaScript, not shell
escaped_user="$(node -e '
  const map = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'"'"'": "&apos;" };
  process.stdout.write(process.argv[1].replace(/[&<>"'"'"']/g, (c) => map[c]));
' "$username")"

dir="$(mktemp -d "${TMPDIR:-/tmp}/handoff-subscriber-XXXXXX")"
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/PlatformEventSubscriberConfigs"
cat >"$dir/package.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://soap.sforce.com/2006/04/metadata">
    <types>
        <members>$config_name</members>
        <name>PlatformEventSubscriberConfig</name>
    </types>
    <version>66.0</version>
</Package>
XML
cat >"$dir/PlatformEventSubscriberConfigs/$config_name.platformEventSubscriberConfig" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<PlatformEventSubscriberConfig xmlns="http://soap.sforce.com/2006/04/metadata">
    <batchSize>$batch_size</batchSize>
    <masterLabel>Handoff lifecycle event subscriber</masterLabel>
    <platformEventConsumer>HandoffLifecycleEventTrigger</platformEventConsumer>
    <user>$escaped_user</user>
</PlatformEventSubscriberConfig>
XML

echo "Running HandoffLifecycleEventTrigger in '$alias' as $username, $batch_size events per batch"
sf project deploy start --metadata-dir "$dir" --target-org "$alias" --wait "$ORG_WAIT_MINUTES"
