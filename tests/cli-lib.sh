# cli-lib.sh - what the command-line tests (tests/cli-*.sh) share; they
# source it.  Each script is a TAP program of its own, so prove runs
# them in parallel.
#
# ROLLSIM: the binary (default build/rollsim); SRCDIR: the source tree
# (default: the one this file is in).  Both are made absolute, since
# scripts change directory: `sh tests/cli-X.sh` works by hand too.
set -u
src=$(cd "${SRCDIR:-$(dirname "$0")/..}" && pwd) || exit 1
bin=${ROLLSIM:-$src/build/rollsim}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0

ok () {                 # ok CONDITION-EXIT-STATUS DESCRIPTION
    n=$((n + 1))
    if [ "$1" -eq 0 ]; then
        echo "ok $n - $2"
    else
        echo "not ok $n - $2"
        fails=$((fails + 1))
    fi
}

same () {               # same EXPECTED ACTUAL DESCRIPTION
    if cmp -s "$1" "$2"; then
        ok 0 "$3"
    else
        ok 1 "$3"
        diff -u "$1" "$2" | head -n 20 | sed 's/^/# /' >&2
    fi
}

done_testing () {       # the plan; the status is prove's verdict
    echo "1..$n"
    [ "$fails" -eq 0 ]
}
