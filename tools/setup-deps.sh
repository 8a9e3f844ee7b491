#!/bin/sh
# setup-deps.sh - find what rollsim needs on this machine, and name or
# install the Debian packages that are missing.
#
# Usage: setup-deps.sh [--check] [NEED...]
#        setup-deps.sh --pkg-config-modules
#
# NEED is build (compile and link), run (draw plots), test (run the
# tests, report.html's in headless Chromium), format (make format, make
# format-check) or bench (make bench's instruction counts and its SimPy
# yardstick: make bench-deps); the default is build, run and test.
# Without --check, missing packages are installed with apt-get (through
# sudo when not root), saying what is installed; `make demo`, `make
# check` and `make deps` do that.  With --check nothing is installed:
# the missing packages are listed and the status is 1; every other make
# goal does that.  --pkg-config-modules
# prints the pkg-config modules of the build, for the Makefile.
#
# Each need is found the way the build uses it, never by asking dpkg, so
# the check also holds on a machine whose libraries come from elsewhere:
# a library with a .pc file through pkg-config, one without (libcsv)
# through a link test, a tool through the PATH.  CC is the compiler.
#
# Adding a dependency is one line in the table below:
#   NEED  DEBIAN-PACKAGE  HOW    WHAT
# HOW is one of
#   cc            WHAT is ignored: $CC compiles and links a C program
#   command       WHAT is a program on the PATH, or a path of one
#   pkg-config    WHAT is a pkg-config module (the build uses its flags)
#   link          WHAT is LIBRARY:HEADER:CALL, a call that must link with
#                 -lLIBRARY after including <HEADER> (no spaces)
#   python        WHAT is a module Debian's /usr/bin/python3 imports
# The cc and command lines come first: the later checks use them.
set -u

needs () {
    cat <<'EOF'
build  build-essential  cc          -
build  pkg-config       command     pkg-config
build  libglib2.0-dev   pkg-config  glib-2.0
build  libgsl-dev       pkg-config  gsl
build  libyaml-dev      pkg-config  yaml-0.1
build  libcsv-dev       link        csv:csv.h:csv_init(0,0)
run    gnuplot-nox      command     gnuplot
test   perl             command     prove
test   chromium         command     chromium
test   chromium-driver  command     chromedriver
test   python3-selenium python      selenium
test   parallel         command     parallel
test   time             command     /usr/bin/time
format clang-format     command     clang-format
bench  valgrind         command     valgrind
bench  python3-simpy3   python      simpy
EOF
}

CC=${CC:-cc}

# found HOW WHAT: status 0 when the need is met.  Says on stdout why it is
# not when that is worth saying.
found () {
    case $1 in
    cc)
        printf 'int main (void) { return 0; }\n' > "$tmp/cc.c"
        command -v "${CC%% *}" >/dev/null 2>&1 \
            && $CC -o "$tmp/cc" "$tmp/cc.c" >/dev/null 2>&1
        ;;
    command)
        command -v "$2" >/dev/null 2>&1
        ;;
    pkg-config)
        if ! command -v pkg-config >/dev/null 2>&1; then
            echo "not checked: no pkg-config"
            return 1
        fi
        pkg-config --exists "$2"
        ;;
    link)
        lib=${2%%:*}
        rest=${2#*:}
        header=${rest%%:*}
        call=${rest#*:}
        if [ -n "$cc_missing" ]; then
            echo "not checked: no working C compiler"
            return 1
        fi
        printf '#include <%s>\nint main (void) { return %s; }\n' \
            "$header" "$call" > "$tmp/link.c"
        $CC -o "$tmp/link" "$tmp/link.c" "-l$lib" >/dev/null 2>&1
        ;;
    python)
        [ -x /usr/bin/python3 ] && /usr/bin/python3 -c "import $2" >/dev/null 2>&1
        ;;
    *)
        echo "setup-deps.sh: unknown check '$1'" >&2
        exit 2
        ;;
    esac
}

# scan NEED...: set $missing to the packages whose need is not met, and
# write one explaining line per package to $tmp/why.
scan () {
    missing=""
    cc_missing=""
    : > "$tmp/why"
    needs | while read -r need pkg how what; do
        case " $* " in *" $need "*) ;; *) continue ;; esac
        if why=$(found "$how" "$what"); then
            continue
        fi
        case $how in
        cc) desc="a C compiler ($CC)" ;;
        command) desc="the $what command" ;;
        pkg-config) desc="$what (pkg-config)" ;;
        link) desc="lib${what%%:*} (links with -l${what%%:*})" ;;
        python) desc="the Python module $what (/usr/bin/python3)" ;;
        esac
        [ -n "$why" ] && desc="$desc; $why"
        printf '%s\t%s\n' "$pkg" "$desc"
        # The link checks need the compiler: tell them when it is absent.
        [ "$how" = cc ] && cc_missing=1
    done > "$tmp/missing"
    missing=$(cut -f1 "$tmp/missing" | tr '\n' ' ' | sed 's/ $//')
}

report () {
    while IFS="	" read -r pkg desc; do
        printf '  %-16s %s\n' "$pkg" "$desc"
    done < "$tmp/missing"
}

check_only=""
case ${1:-} in
--pkg-config-modules)
    needs | awk '$1 == "build" && $3 == "pkg-config" { printf "%s ", $4 }'
    echo
    exit 0
    ;;
--check)
    check_only=1
    shift
    ;;
-*)
    echo "usage: setup-deps.sh [--check] [build|run|test|format|bench]..." >&2
    exit 2
    ;;
esac
[ $# -gt 0 ] || set -- build run test
for need in "$@"; do
    case $need in
    build|run|test|format|bench) ;;
    *) echo "setup-deps.sh: unknown need '$need' (build, run, test, format, bench)" >&2
       exit 2 ;;
    esac
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
scan "$@"
[ -z "$missing" ] && exit 0

if [ -n "$check_only" ]; then
    echo "rollsim: missing Debian packages ($*):" >&2
    report >&2
    echo "rollsim: install them with: apt-get install $missing" >&2
    case " $* " in
    *" format "*|*" bench "*) ;;
    *) echo "rollsim: (or run 'make deps', which installs what is missing)" >&2 ;;
    esac
    exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "rollsim: missing packages (no apt-get here: install them by hand):" >&2
    report >&2
    exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "rollsim: missing packages; run as root, or install sudo:" >&2
        report >&2
        exit 1
    fi
    SUDO=sudo
fi
echo "rollsim: installing missing Debian packages: $missing"
report
$SUDO apt-get update -qq || exit 1
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing \
    >/dev/null || exit 1

# What apt-get installed must now be found the way the build looks.
scan "$@"
if [ -n "$missing" ]; then
    echo "rollsim: still missing after installing:" >&2
    report >&2
    exit 1
fi
echo "rollsim: packages installed"
