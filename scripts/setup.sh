#!/usr/bin/env bash
# The first command of the README: installs what OptGuard needs, builds the host, installs it for the
# current user with the browsers' native-messaging manifests, and says the one step left.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
bash installer/install.sh
cat <<MSG

OptGuard's host is installed. One step is left, in the browser:
  1. open chrome://extensions and switch on "Developer mode";
  2. click "Load unpacked" and choose $(pwd)/extension
The toolbar popup then shows "Helper app connected".
MSG
