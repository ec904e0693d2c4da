#!/usr/bin/env bash
# The browser tests drive Debian's Chromium; install it when this machine lacks it.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
echo "Installing Debian's chromium for the browser tests..."
if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
else
    SUDO=
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version
