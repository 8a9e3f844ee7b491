#!/bin/sh
# cli-plots.sh - plots (TAP, run by prove): a run draws them with
# gnuplot, `rollsim plot` redraws them, and without gnuplot a run fails
# cleanly unless --no-plots.
. "$(dirname "$0")/cli-lib.sh"

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

done_testing
