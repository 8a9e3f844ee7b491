#!/bin/sh
# cli.sh - the command line as a user meets it (TAP, run by prove):
# exit statuses, rejected scenarios leave nothing behind, determinism,
# the golden outputs of the seed scenario, reproduction from the
# resolved scenario.ini, plots, and docs that match the key table.
#
# ROLLSIM: the binary (default build/rollsim); SRCDIR: the source tree.
set -u
src=${SRCDIR:-.}
bin=${ROLLSIM:-$src/build/rollsim}
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

# --- Usage -------------------------------------------------------------------
"$bin" --help >"$tmp/help" 2>&1
ok $? "rollsim --help exits 0"
grep -q 'compare' "$tmp/help" && grep -q 'rolling' "$tmp/help"
ok $? "--help lists the commands and the strategies"
"$bin" --version | grep -q "^rollsim $(cat "$src/VERSION")\$"
ok $? "--version prints the VERSION file"
"$bin" frobnicate >/dev/null 2>&1
[ $? -eq 2 ]; ok $? "an unknown command exits 2"
"$bin" run --no-such-option >/dev/null 2>&1
[ $? -eq 2 ]; ok $? "an unknown option exits 2"
"$bin" run "$src/scenarios/seed-rolling.ini" --set deployment.replicsa=3 \
    -o "$tmp/set" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'did you mean deployment.replicas' "$tmp/err" \
    && [ ! -e "$tmp/set" ]
ok $? "--set of a misspelt key exits 2 with a hint and writes nothing"

# --- Every shipped scenario is valid --------------------------------------------
for f in "$src"/scenarios/*.ini; do
    "$bin" check "$f" >/dev/null 2>"$tmp/err"
    ok $? "check $(basename "$f")"
done

# --- Rejected scenarios: exit 2, the expected message, no output ------------------
for f in "$src"/tests/data/bad/*.ini; do
    name=$(basename "$f")
    "$bin" check "$f" >/dev/null 2>"$tmp/err"
    status=$?
    good=0
    [ $status -eq 2 ] || good=1
    grep '^# expect: ' "$f" | sed 's/^# expect: //' > "$tmp/expect"
    while IFS= read -r want; do
        grep -qF -- "$want" "$tmp/err" || good=1
    done < "$tmp/expect"
    grep -q '^rollsim: ' "$tmp/err" || good=1
    ok $good "check rejects $name: $(head -c 100 "$tmp/err" | head -1)"
    "$bin" run "$f" -o "$tmp/bad-out" --no-plots >/dev/null 2>&1
    status=$?
    [ $status -eq 2 ] && [ ! -e "$tmp/bad-out" ] \
        && [ -z "$(ls -A "$tmp" | grep '^\.bad-out')" ]
    ok $? "run rejects $name with 2 and leaves no directory"
done

# --- Determinism and reproduction -------------------------------------------------
"$bin" run -q --no-plots -o "$tmp/a" && "$bin" run -q --no-plots -o "$tmp/b"
ok $? "the seed scenario runs"
diff -r "$tmp/a" "$tmp/b" >/dev/null
ok $? "the same scenario and seed give byte-identical outputs"
"$bin" run -q --no-plots "$tmp/a/scenario.ini" -o "$tmp/c" \
    && diff -r "$tmp/a" "$tmp/c" >/dev/null
ok $? "running the resolved scenario.ini reproduces the run byte for byte"
"$bin" run -q --no-plots --seed 2 -o "$tmp/d"
! cmp -s "$tmp/a/timeseries.csv" "$tmp/d/timeseries.csv"
ok $? "another seed gives other traffic"
for f in summary.csv events.csv timeseries.csv versions.csv; do
    cmp -s "$src/tests/data/golden/seed-rolling/$f" "$tmp/a/$f"
    ok $? "golden $f of the seed scenario (tools/update-golden.sh refreshes it)"
done

# --- Plots ---------------------------------------------------------------------------
if command -v gnuplot >/dev/null 2>&1; then
    "$bin" run -q -o "$tmp/p"
    ok $? "run draws plots"
    for p in pods traffic errors latency; do
        [ -s "$tmp/p/plots/$p.png" ] && [ -s "$tmp/p/plots/$p.gp" ]
        ok $? "plots/$p.png and its script are there"
    done
    rm "$tmp/p/plots/pods.png"
    "$bin" plot "$tmp/p" >/dev/null && [ -s "$tmp/p/plots/pods.png" ]
    ok $? "rollsim plot redraws"
else
    n=$((n + 1)); echo "ok $n # SKIP gnuplot is not installed"
fi
"$bin" plot "$tmp/no-such-run" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'not the directory of a run' "$tmp/err"
ok $? "plot of a directory that is not a run exits 2 and says so"
PATH=/nonexistent "$bin" run -q -o "$tmp/nognuplot" 2>"$tmp/err"
[ $? -eq 1 ] && [ ! -e "$tmp/nognuplot" ] && grep -q 'gnuplot' "$tmp/err"
ok $? "no gnuplot: exit 1, a message naming it, nothing written"
PATH=/nonexistent "$bin" run -q --no-plots -o "$tmp/noplots"
ok $? "--no-plots runs without gnuplot"

# --- Docs match the key table ------------------------------------------------------
"$bin" keys --markdown | cmp -s - "$src/docs/scenario-reference.md"
ok $? "docs/scenario-reference.md is what 'rollsim keys --markdown' prints (make docs)"

echo "1..$n"
[ $fails -eq 0 ]
