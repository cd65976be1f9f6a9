#!/usr/bin/env bash
# The browser suites drive Debian's Chromium (never a downloaded browser build). Install it when it is
# missing and we can (root with apt); otherwise say so, and those suites skip with a message.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's Chromium for the browser tests..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
else
  echo "Chromium is not installed (sudo apt-get install chromium): the browser suites will be skipped."
fi
