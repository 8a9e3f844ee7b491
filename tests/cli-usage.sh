#!/bin/sh
# cli-usage.sh - the command line as a user first meets it (TAP, run by
# prove): help, version, exit statuses of usage errors, every shipped
# scenario valid, and docs that match the key table.
. "$(dirname "$0")/cli-lib.sh"

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

# --- --at appends to [timeline] actions -------------------------------------------
"$bin" run "$src/scenarios/seed-rolling.ini" --no-plots -q -o "$tmp/at" \
    --at "20s scale 5" --at "rollout+30s undo if-unfinished"
[ $? -eq 0 ] && grep -q '^20.000,action,deployment,hello2,5,20s scale 5$' \
    "$tmp/at/events.csv" \
    && grep -q '^actions = 20s scale 5; rollout+30s undo if-unfinished$' \
    "$tmp/at/scenario.ini"
ok $? "run --at appends actions: an action row, and scenario.ini lists them"
"$bin" check "$src/scenarios/seed-rolling.ini" --at "90s promote" \
    2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'rollouts.argoproj.io "app" not found' "$tmp/err"
ok $? "check --at refuses promote on a Deployment, exit 2, kubectl's words"
"$bin" check "$src/scenarios/seed-rolling.ini" \
    --set deployment.replicas+=3 2>"$tmp/err"
[ $? -eq 2 ] && grep -q '+= adds to a list' "$tmp/err"
ok $? "--set GROUP.KEY+= only on a list key"

rm -rf "$tmp/cmp"
"$bin" compare "$src/scenarios/seed-rolling.ini" --reps 2 --no-plots -q \
    -o "$tmp/cmp" --at "20s pause"
[ $? -eq 0 ] && grep -q '^rolling,seed-rolling,rolling,2,10.00000,0.00000,2,,,0,' \
    "$tmp/cmp/compare.csv"
ok $? "compare --at: every replication paused at 20 s, no rollout ends"

# --- Every shipped scenario is valid --------------------------------------------
for f in "$src"/scenarios/*.ini; do
    "$bin" check "$f" >/dev/null 2>"$tmp/err"
    ok $? "check $(basename "$f")"
done

# --- Docs match the key table ------------------------------------------------------
"$bin" keys --markdown >"$tmp/reference.md"
same "$src/docs/scenario-reference.md" "$tmp/reference.md" \
    "docs/scenario-reference.md is what 'rollsim keys --markdown' prints (make docs)"

done_testing
