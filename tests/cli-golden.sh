#!/bin/sh
# cli-golden.sh - determinism and reproduction (TAP, run by prove): the
# same scenario and seed give the same bytes, the resolved scenario.ini
# reproduces a run, and the seed scenario's outputs match the golden
# files in tests/data/golden/seed-rolling/ (a difference is shown).
. "$(dirname "$0")/cli-lib.sh"

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
    same "$src/tests/data/golden/seed-rolling/$f" "$tmp/a/$f" \
        "golden $f of the seed scenario (tools/update-golden.sh refreshes it)"
done

done_testing
