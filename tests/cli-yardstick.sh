#!/bin/sh
# cli-yardstick.sh - make bench's yardstick is the model it claims to be:
# tools/bench-minimal.c (the bench model in plain C) and rollsim, on
# scenarios/bench.ini's pods and traffic for 5 simulated minutes, both
# agree with queueing theory.  Per pod that is M/M/4 with arrivals at
# 20/s and service at 25/s (0.8 Erlang), whose Erlang C formula gives
# P(wait) = 0.00958 and a mean latency of 40 ms + 0.00958/(100 - 20) s
# = 40.120 ms; 600,000 requests.  The bounds are about six standard
# errors, so a program of another model fails them and this one does
# not by chance.
. "$(dirname "$0")/cli-lib.sh"

# within VALUE LOW HIGH: status 0 when LOW <= VALUE <= HIGH.
within () {
    awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v != "" && v >= lo && v <= hi) }'
}

${CC:-cc} -O2 -std=c11 -o "$tmp/minimal" "$src/tools/bench-minimal.c" -lm \
    2> "$tmp/cc.err"
status=$?
ok $status "tools/bench-minimal.c builds with \$CC -O2 and libm"
[ $status -eq 0 ] || sed 's/^/# /' "$tmp/cc.err" >&2

"$tmp/minimal" 100 2000 300 > "$tmp/minimal.out" 2>&1
ok $? "bench-minimal runs bench.ini's model for 300 s"
set -- $(cat "$tmp/minimal.out")
echo "# bench-minimal: $*" >&2
within "${2:-}" 595350 604650
ok $? "bench-minimal: 600,000 +- 4,650 requests (${2:-none})"
[ "${6:-x}" = 0 ] && [ "${8:-x}" = 0 ]
ok $? "bench-minimal: nothing rejected or timed out at 0.8 Erlang"
within "${10:-}" 39.80 40.44
ok $? "bench-minimal: mean latency 40.12 +- 0.32 ms (${10:-none})"
within "${12:-}" 0.0081 0.0111
ok $? "bench-minimal: P(wait) 0.00958 +- 0.0015 (${12:-none})"

# rollsim on the same pods and traffic; its rollout starts as the run
# ends, before any new pod is ready.
"$bin" run "$src/scenarios/bench.ini" --set scenario.duration=300s \
    --set rollout.at=299s --no-plots --no-report -q -o "$tmp/r" \
    2> "$tmp/r.err"
ok $? "rollsim runs bench.ini for 300 s"
col () {
    awk -F, -v k="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == k) c = i }
        NR == 2 && c { print $c }' "$tmp/r/summary.csv" 2>/dev/null
}
echo "# rollsim: arrivals $(col arrivals) mean_ms $(col mean_ms) wait_prob $(col wait_prob)" >&2
within "$(col arrivals)" 595350 604650
ok $? "rollsim: 600,000 +- 4,650 requests"
within "$(col mean_ms)" 39.80 40.44
ok $? "rollsim: mean latency 40.12 +- 0.32 ms, as bench-minimal's"
within "$(col wait_prob)" 0.0081 0.0111
ok $? "rollsim: P(wait) 0.00958 +- 0.0015, as bench-minimal's"

done_testing
