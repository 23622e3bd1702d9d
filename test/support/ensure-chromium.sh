#!/usr/bin/env bash
# The browser tests drive Debian's chromium through playwright-core: install it from apt when it is missing.
# Never a downloaded browser build. CAFE_ETL_INSTALL_CHROMIUM=never (`.ci/run --without-servers`) installs nothing.
set -euo pipefail
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "${CAFE_ETL_INSTALL_CHROMIUM:-}" = "never" ]; then
  echo "ensure-chromium: $CHROMIUM is missing, and CAFE_ETL_INSTALL_CHROMIUM=never: not installing it" >&2
  exit 1
fi
if [ "$(id -u)" != "0" ]; then
  echo "ensure-chromium: $CHROMIUM is missing; install Debian's chromium (apt-get install chromium) as root" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
"$CHROMIUM" --version
