#!/bin/sh
# cli-reject.sh - rejected scenarios (TAP, run by prove): each file in
# tests/data/bad/ exits 2 with the messages its "# expect:" lines name,
# and `run` leaves no output directory behind.
. "$(dirname "$0")/cli-lib.sh"

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

done_testing
