#!/usr/bin/env bash
# Take a screenshot of an HTML page with headless Chromium; installs nothing.
#
#   scripts/screenshot_html.sh PAGE.html [OUT.png] [WIDTHxHEIGHT]
#
# Uses $CHROMIUM, else /usr/bin/chromium, else `chromium` or `chromium-browser` on PATH (Debian: apt-get
# install chromium). Exits 3 when no browser is found. The page is opened from a file:// URL with
# background networking, component updates, sync and QUIC off and a throw-away profile, so a
# self-contained page renders exactly as it would offline.
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "usage: $0 PAGE.html [OUT.png] [WIDTHxHEIGHT]" >&2
  exit 2
fi
page=$1
out=${2:-out.png}
size=${3:-1400x900}

browser=${CHROMIUM:-}
if [ -z "$browser" ]; then
  for candidate in /usr/bin/chromium chromium chromium-browser; do
    if command -v "$candidate" >/dev/null 2>&1; then
      browser=$(command -v "$candidate")
      break
    fi
  done
fi
if [ -z "$browser" ]; then
  echo "no chromium found (set CHROMIUM or install the Debian package 'chromium')" >&2
  exit 3
fi

abs_page=$(cd "$(dirname "$page")" && pwd)/$(basename "$page")
case $out in
  /*) abs_out=$out ;;
  *) abs_out=$(pwd)/$out ;;
esac
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --hide-scrollbars --user-data-dir="$profile" \
  --screenshot="$abs_out" --window-size="${size/x/,}" "file://$abs_page" >/dev/null 2>&1

if [ ! -s "$abs_out" ]; then
  echo "chromium wrote no screenshot to $abs_out" >&2
  exit 1
fi
echo "$abs_out"
