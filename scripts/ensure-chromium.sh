#!/usr/bin/env bash
# The browser suites drive Debian's Chromium (never a downloaded browser build); an emoji font makes Notion
# page icons visible in their screenshots. Install both when missing and we can (root with apt); otherwise
# say so: without Chromium the browser suites skip with a message.
set -euo pipefail
has_chromium() { command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; }
has_emoji_font() { fc-list 2>/dev/null | grep -qi "color emoji"; }
if has_chromium && has_emoji_font; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's Chromium and an emoji font for the browser tests..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null
elif ! has_chromium; then
  echo "Chromium is not installed (sudo apt-get install chromium): the browser suites will be skipped."
fi
