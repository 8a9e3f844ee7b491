#!/bin/sh
# cli-browser.sh - report.html in headless Chromium (TAP, run by prove):
# tests/browser-report.py drives it with chromedriver and Debian's
# python3-selenium (tools/setup-deps.sh installs them for make check);
# skipped, saying so, where they are missing.
. "$(dirname "$0")/cli-lib.sh"

py=/usr/bin/python3
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] \
    || ! "$py" -c 'import selenium' 2>/dev/null; then
    echo "1..0 # SKIP chromium, chromium-driver or python3-selenium is missing"
    exit 0
fi
if ! command -v gnuplot >/dev/null 2>&1; then
    echo "1..0 # SKIP gnuplot is not installed"
    exit 0
fi
"$py" "$src/tests/browser-report.py" "$bin" "$src" "$tmp"
