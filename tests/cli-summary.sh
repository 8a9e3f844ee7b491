#!/bin/sh
# cli-summary.sh - what a run says (TAP, run by prove): summary.csv keeps
# its columns in order, with peak_active_pods, peak_cpu and peak_memory
# after rollouts, bad_version_users then peak_pods_s last; the terminal never prints nan; the blue-green trace and
# events.csv say which Service a balancer change concerns.
. "$(dirname "$0")/cli-lib.sh"

cd "$tmp" || exit 1

# D3: the new columns come last; peak_pods keeps its meaning.
"$bin" run -q --no-plots -o seed --set rollout.at=0s || exit 1
head -1 seed/summary.csv | tr , '\n' > cols
[ "$(sed -n 24p cols)" = peak_pods ] \
    && [ "$(sed -n 39,41p cols | tr '\n' ' ')" = "peak_active_pods peak_cpu peak_memory " ] \
    && [ "$(tail -2 cols | tr '\n' ' ')" = "bad_version_users peak_pods_s " ]
ok $? "summary.csv: peak_pods where it was, the peaks appended after rollouts; bad_version_users, then peak_pods_s, last"
get () { awk -F, -v c="$(grep -nx "$2" cols | cut -d: -f1)" 'NR == 2 { print $c }' "$1/summary.csv"; }
# Rolled at 0 s, hello1-1 is still terminating (7.000-7.050 s) when the
# second new pod is created: 5 pods exist, 4 of them not terminating
# (replicas 3 + maxSurge 1); each requests 100m and 128Mi.
[ "$(get seed peak_pods)" = 5 ] && [ "$(get seed peak_active_pods)" = 4 ] \
    && [ "$(get seed peak_cpu)" = 0.500 ] && [ "$(get seed peak_memory)" = 671088640 ]
ok $? "peaks of the seed rolled at 0 s: 5 pods, 4 active, 0.5 CPU, 640Mi"

# D3: how long the peak lasted, against events.csv walked here (created
# +1, deleted -1): the seed rolled at 0 s has 5 pods for 1 ms (hello2-3
# created at 12.000 s, hello1-3 deleted at 12.001 s).
peak_from_events () {
    awk -F, 'NR > 1 && ($2 == "pod-created" || $2 == "pod-deleted") {
        t = $1 + 0
        if (n == peak) at += t - since
        n += ($2 == "pod-created") ? 1 : -1
        since = t
        if (n > peak) { peak = n; at = 0 }
    } END { if (n == peak) at += end - since; printf "%d %.3f", peak, at }' \
        end="$2" "$1/events.csv"
}
[ "$(peak_from_events seed 120)" = "5 0.001" ] \
    && [ "$(get seed peak_pods) $(get seed peak_pods_s)" = "5 0.001" ]
ok $? "peak_pods_s: the seed rolled at 0 s holds 5 pods for 0.001 s, as events.csv says"
for f in canary-good bluegreen-seed timeline-node-loss; do
    "$bin" run -q --no-plots --no-report -o "pk-$f" "$src/scenarios/$f.ini" || exit 1
    dur=$(sed -n 's/^duration = \([0-9]*\)s.*/\1/p; s/^duration = \([0-9]*\)m.*/\1 60/p' \
          "pk-$f/scenario.ini" | awk '{ print $1 * ($2 ? $2 : 1); exit }')
    # (awk sums decimal times in floating point: a millisecond of slack)
    echo "$(peak_from_events "pk-$f" "$dur") $(get "pk-$f" peak_pods) $(get "pk-$f" peak_pods_s)" \
        | awk '{ d = $2 - $4; exit !($1 == $3 && d <= 0.002 && d >= -0.002) }'
    ok $? "$f: peak_pods and peak_pods_s as events.csv gives them ($(peak_from_events "pk-$f" "$dur"))"
done

# D6: never nan on the terminal.
printf '[scenario]\nduration = 30s\n[deployment]\nversion = a\nreplicas = 2\n[version.a]\n' > steady.ini
for args in "--set strategy.type=recreate" "--set rollout.at=0s" "steady.ini" \
            "--set traffic.rate=0"; do
    "$bin" run --no-plots -o o $args > out 2>&1
    ! grep -qi nan out
    ok $? "no nan on the terminal ($args)"
done
"$bin" run --no-plots -o o --set strategy.type=recreate > out
grep -q 'no successful request during it' out
ok $? "recreate: says there was no successful request during the rollout"
"$bin" run --no-plots -o o steady.ini > out
grep latency out | grep -qv 'before\|during'
ok $? "no rollout: no before/during part"

# bad_version_users: distinct users answered by a version other than the
# initial one (users draw from their own stream: the other columns stay).
[ "$(get seed bad_version_users)" -gt 1000 ] \
    && [ "$(get seed bad_version_users)" -le 10000 ]
ok $? "bad_version_users: some of the 10000 users met the new version"
"$bin" run -q --no-plots -o one --set rollout.at=0s --set traffic.users=1 || exit 1
[ "$(get one bad_version_users)" = 1 ] \
    && [ "$(get one arrivals)" = "$(get seed arrivals)" ] \
    && [ "$(get one ok)" = "$(get seed ok)" ]
ok $? "bad_version_users: one user in all, the same traffic"
"$bin" run -q --no-plots -o none steady.ini || exit 1
[ "$(get none bad_version_users)" = 0 ]
ok $? "bad_version_users: 0 without a rollout"

# D10: which Service.
"$bin" run -q --no-plots -o bg "$src/scenarios/bluegreen-bad.ini" --trace 2>trace || exit 1
grep -q '^t=17.223s preview load balancers now send requests to hello2-3$' trace
ok $? "trace: the first new endpoint is the preview Service's"
grep -q '^t=18.600s load balancers of Service active now send requests to hello2$' trace \
    && grep -q '^t=28.600s load balancers of Service active now send requests to hello1$' trace
ok $? "trace: when the active selector reaches the balancers, both ways"
grep -q '^17.223,endpoint-added,hello2-3,hello2,,preview$' bg/events.csv \
    && grep -q '^18.600,balancers-updated,active,hello2,,hello2$' bg/events.csv
ok $? "events.csv: endpoint rows name the Services; balancers-updated rows"
"$bin" run -q --no-plots -o r --trace 2>trace || exit 1
grep -q '^t=18.000s load balancers now send requests to hello2-1$' trace \
    && ! grep -q balancers-updated r/events.csv
ok $? "rolling (one Service): the trace and events as before"

# F16: the progress line, on a terminal only: simulated time done, wall
# time so far (and, after a second, the rest at this pace).
if command -v script >/dev/null 2>&1; then
    script -qc "'$bin' run --no-plots -o p --set scenario.duration=20m \
        --set traffic.rate=1000" /dev/null | tr '\r' '\n' > tty.txt
    grep -aq 'placing 3 pods on 3 nodes' tty.txt \
        && grep -aq 'simulating seed-rolling: [0-9.]*% of 20m, 0:[0-9][0-9] so far' tty.txt \
        && ! grep -aqi nan tty.txt
    ok $? "on a terminal: progress in simulated time and wall time"
else
    n=$((n + 1)); echo "ok $n # SKIP script(1) is not installed"
fi
"$bin" run --no-plots -o p --set scenario.duration=20m --set traffic.rate=1000 \
    >/dev/null 2>err
[ ! -s err ]
ok $? "not on a terminal: no progress line"

# The blast line says what it counts (bad_version_requests): answers by
# any version but the initial one, whether or not it errs more.
"$bin" run --no-plots -o blast > out 2>&1 || exit 1
b=$(get blast bad_version_requests)
grep -q "^  blast     $b requests answered by a version other than the initial one\$" out
ok $? "the blast line gives bad_version_requests ($b) and says what it counts"

# The peak's memory reads as people write it: exact when a binary suffix
# gives a short number, else to three figures (4 pods of 1000M = 4e9 bytes).
"$bin" run --no-plots -o mem --set deployment.memory=1000M > out 2>&1 \
    && grep -q '^  requests  0.400 CPU and 3.7 GiB at the peak$' out \
    && [ "$(get mem peak_memory)" = 4000000000 ]
ok $? "peak memory: 3.7 GiB on the terminal, 4000000000 bytes in summary.csv"

# An unfinished rollout: the pause it is in, or (its pause over) the
# step it is at and a hint that the run was too short.
"$bin" run --no-plots --no-report -o cg100 "$src/scenarios/canary-good.ini" \
    --set scenario.duration=100s > out 2>&1 || exit 1
grep -q '^  paused    at 46.719s: pause 1m: until t=106.719s$' out
ok $? "unfinished inside a pause: the pause"
"$bin" run --no-plots --no-report -o cg150 "$src/scenarios/canary-good.ini" \
    --set scenario.duration=150s > out 2>&1 || exit 1
grep -q '^  step      3 since 106.719s: analysis$' out \
    && grep -q '^  hint      still progressing at the end: a longer scenario.duration (now 150s) lets it finish$' out \
    && ! grep -q paused out
ok $? "unfinished after the pause: the step it is at and a hint, not the pause that ended"
# Blue-green: an auto-promotion pause ends with the Service switch.
"$bin" run --no-plots --no-report -o bg45 "$src/scenarios/bluegreen-seed.ini" \
    --set strategy.bluegreen.auto_promotion_after=20s \
    --set strategy.bluegreen.post_promotion_analysis=true \
    --set traffic.preview_rate=5 --set scenario.duration=45s > out 2>&1 || exit 1
grep -q '^  hint      still progressing at the end' out && ! grep -q paused out
ok $? "blue-green promoted after its pause, still analysing at the end: no pause named"
"$bin" run --no-plots --no-report -o bg30 "$src/scenarios/bluegreen-seed.ini" \
    --set strategy.bluegreen.auto_promotion_after=20s --set scenario.duration=30s \
    > out 2>&1 || exit 1
grep -q '^  paused    at 17.600s: BlueGreenPause: auto-promotion in 20s$' out
ok $? "blue-green inside its pause at the end: the pause"

# The README shows what make demo prints: the same lines.
if command -v gnuplot >/dev/null 2>&1; then
    mkdir demo && cd demo || exit 1
    sed -n '/^    seed-rolling: rolling of/,/^      outputs/p' "$src/README.md" \
        | sed 's/^    //' > readme-demo
    "$bin" run -o out/seed-rolling > demo-out 2>&1
    [ -s readme-demo ] && cmp -s readme-demo demo-out
    same_demo=$?
    ok $same_demo "README.md's demo output is what the seed run prints"
    [ $same_demo -eq 0 ] || diff readme-demo demo-out | sed 's/^/# /' >&2
    cd .. || exit 1
else
    n=$((n + 1)); echo "ok $n # SKIP gnuplot is not installed"
fi

# A rollout started by a timeline's set-image, with no [rollout], has its
# rollout line (found by fuzz-run: the outcome was completed, unseen).
"$bin" run --no-plots --no-report -o tl "$src/tests/fuzz/corpus/timeline-only-rollout.ini" \
    > out 2>&1 || exit 1
grep -q '^  rollout   completed in [0-9.]*s (25.000s -> ' out \
    && grep -q '^timeline-only-rollout,rolling,1,25.000,.*,completed,' tl/summary.csv
ok $? "a rollout started by the timeline alone: the terminal's rollout line and summary.csv agree"

done_testing
