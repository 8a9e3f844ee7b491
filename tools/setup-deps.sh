#!/bin/sh
# Install the Debian packages rollsim needs to build, test and plot, if any
# are missing.  Uses sudo only when not root; says what it installs.
set -e
need="build-essential pkg-config libglib2.0-dev libcsv-dev libgsl-dev gnuplot-nox perl"
missing=""
for p in $need; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
    echo "rollsim: missing packages:$missing (no apt-get here: install them by hand)" >&2
    exit 1
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "rollsim: installing missing Debian packages:$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
echo "rollsim: packages installed"
