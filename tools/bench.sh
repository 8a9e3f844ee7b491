#!/bin/sh
# bench.sh - `make bench`: simulated requests and events per wall second
# on scenarios/bench.ini (100 pods, 2,000 requests/s, 30 simulated
# minutes, a rolling update in the middle: 3.6 million requests), and
# peak memory for half and full duration (it must not grow with
# simulated time).  Figures, never pass/fail: timing is not a test.
set -e
bin=${1:-build/rollsim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "rollsim bench: scenarios/bench.ini (best of 3 runs)"
for i in 1 2 3; do
    "$bin" run scenarios/bench.ini --no-plots -q --stats -o "$tmp/full" 2>>"$tmp/full.txt"
done
sort -t, -k1 "$tmp/full.txt" | awk '
    { for (i = 1; i <= NF; i++) if ($i ~ /requests\/s/) { r = $(i-1); if (r > best) { best = r; line = $0 } } }
    END { print "  30 min: " substr(line, 10) }'
"$bin" run scenarios/bench.ini --set scenario.duration=15m --set rollout.at=7m30s \
    --no-plots -q --stats -o "$tmp/half" 2>"$tmp/half.txt"
echo "  15 min: $(sed 's/^rollsim: //' "$tmp/half.txt")"
echo "  (peak memory should be the same for 15 and 30 minutes: pools grow"
echo "   with requests in flight, not with simulated time)"
