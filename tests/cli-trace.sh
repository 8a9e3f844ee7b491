#!/bin/sh
# cli-trace.sh - a trace that says why (TAP, run by prove): trace.txt is
# what --trace prints, and each controller decision carries its
# arithmetic and its rule (docs/design.md K4, A1.5, A1.2).  Expected
# figures are the worked example of the seed scenario (3 replicas,
# maxSurge 1, maxUnavailable 0), not computed by the code under test.
. "$(dirname "$0")/cli-lib.sh"

"$bin" run -q --no-plots --no-report --trace -o "$tmp/s" 2>"$tmp/stderr" || exit 1
cmp -s "$tmp/stderr" "$tmp/s/trace.txt"
ok $? "trace.txt holds what --trace prints"
has () {                # has FILE TEXT DESCRIPTION
    grep -qF -- "$2" "$1"
    ok $? "$3"
}
has "$tmp/s/trace.txt" 't=10.000s new ReplicaSet hello2 starts with 1: maxSurge 1 allows 3 + 1 = 4 pods, 3 exist' \
    "the new ReplicaSet's first size: replicas + maxSurge - total"
has "$tmp/s/trace.txt" 't=17.000s scale hello1 down 3 -> 2: 4 pods available, minAvailable = replicas 3 - maxUnavailable 0 = 3, so 1 may go' \
    "an old ReplicaSet shrinks by available - minAvailable"
has "$tmp/s/trace.txt" 't=17.000s scale hello2 up 1 -> 2: maxSurge 1 allows 3 + 1 = 4 pods, 3 exist in all ReplicaSets' \
    "the new ReplicaSet grows into the room the old one left"
has "$tmp/s/trace.txt" 't=0.000s pod hello1-1 scheduled on node-1' \
    "warm pods are placed at t = 0"

"$bin" run -q --no-plots --no-report -o "$tmp/r" --set strategy.type=recreate || exit 1
has "$tmp/r/trace.txt" 'scale hello1 down 3 -> 0 (Recreate: every old pod goes before any new one is created)' \
    "recreate says why the old pods all go"

"$bin" run -q --no-plots --no-report -o "$tmp/c" "$src/scenarios/canary-bad.ini" || exit 1
has "$tmp/c/trace.txt" 'scale v2 0 -> 2: weight 20% of 10 replicas is canary 2 / stable 8' \
    "a basic canary's count follows its weight"
has "$tmp/c/trace.txt" 'analysis fails: 1 failed measurement(s) > failure limit 0 (Argo: the analysis run fails, and the rollout aborts)' \
    "a failed analysis names the limit it broke"

"$bin" run -q --no-plots --no-report -o "$tmp/g" "$src/scenarios/canary-good-router.ini" || exit 1
has "$tmp/g/trace.txt" 'scale v2 1 -> 3: weight 30% of 10 replicas needs ceil(10 x 30 / 100) = 3 canary pod(s); stable 10' \
    "a routed canary's count is ceil(replicas x weight / 100)"

# A background analysis of count 0 measures until the rollout ends (the
# newcomer review's D4: it said "0 measurement(s)").
"$bin" run -q --no-plots --no-report -o "$tmp/bg0" "$src/scenarios/canary-bad.ini" \
    --set analysis.background=true --set analysis.count=0 \
    --set "strategy.canary.steps=set-weight 20; pause 1m; set-weight 50; pause 1m" || exit 1
has "$tmp/bg0/trace.txt" 'background analysis started on v2: a measurement every 30s until the rollout ends (count 0)' \
    "a background analysis of count 0 says it runs until the rollout ends"

done_testing
