#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the browser tests (tests/Browser.Tests, driven by Playwright; Playwright's
# own browser download cannot be used here) and prints its path on stdout. Installs the chromium package when missing
# (needs root). Setting: PDS_CHROMIUM (default /usr/bin/chromium).
set -euo pipefail

path=${PDS_CHROMIUM:-/usr/bin/chromium}
say() { echo "chromium.sh: $*" >&2; }

if [ ! -x "$path" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    say "no $path and not root: cannot install Debian's chromium package"
    exit 3
  fi
  say "installing Debian's chromium package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq chromium fonts-noto-cjk >&2
fi

# Chinese text needs a CJK font, or the screenshots show boxes.
if ! fc-list :lang=zh 2>/dev/null | grep -q . && [ "$(id -u)" -eq 0 ]; then
  say "installing a CJK font (fonts-noto-cjk)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >&2 || say "no CJK font: screenshots will show boxes for Chinese text"
fi

"$path" --version >&2
echo "$path"
