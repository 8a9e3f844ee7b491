#!/bin/sh
# cli-input.sh - what the command line and the loader accept as input
# (TAP, run by prove): files that are not scenarios, byte-order marks,
# file names a scenario cannot hold, --set values, rate profiles, counts
# too large to run, arguments left over.  Every case ends with a clear
# message and the documented exit status (2: the input; 1: a run-time
# failure), and nothing half written.
. "$(dirname "$0")/cli-lib.sh"

seed="$src/scenarios/seed-rolling.ini"

# refuses NAME STATUS PATTERN COMMAND...: exits STATUS, stderr matches
refuses () {
    name=$1 want=$2 pattern=$3
    shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"
    status=$?
    if [ $status -eq "$want" ] && grep -q -- "$pattern" "$tmp/err"; then
        ok 0 "$name"
    else
        ok 1 "$name (exit $status)"
        head -n 3 "$tmp/err" | sed 's/^/# /' >&2
    fi
}

# --- Files that are not scenarios (robustness F15) --------------------------
refuses "/dev/zero as the scenario: exit 2, not a regular file" 2 \
    "/dev/zero: not a regular file" "$bin" check /dev/zero
mkfifo "$tmp/fifo"
# A FIFO with no writer would block a plain open for ever.
refuses "a FIFO as the scenario: exit 2 at once" 2 \
    "fifo: not a regular file" timeout 10 "$bin" check "$tmp/fifo"
# A directory is manifests (docs/import.md): this one holds none.
mkdir "$tmp/empty"
refuses "a directory as the scenario: exit 2, manifests without a workload" 2 \
    "no workload to simulate" "$bin" check "$tmp/empty"
head -c 17000000 /dev/zero | tr '\0' '#' >"$tmp/big.ini"
refuses "a 17 MB scenario: exit 2, too large" 2 \
    "too large for a scenario" "$bin" check "$tmp/big.ini"

# --- A UTF-8 byte-order mark is skipped (F23, newcomer D18) -----------------
printf '\357\273\277' >"$tmp/bom.ini"
cat "$seed" >>"$tmp/bom.ini"
"$bin" check "$tmp/bom.ini" >/dev/null 2>&1
ok $? "a scenario that opens with a byte-order mark is read"

# --- File names a value cannot hold (F21, F22) ------------------------------
mkdir "$tmp/names"
for i in 1 2; do
    sed "/^name = /d" "$seed" >"$tmp/names/web #$i.ini"
done
(cd "$tmp/names" && "$bin" run -q --no-plots "web #1.ini" \
    && "$bin" run -q --no-plots "web #2.ini") 2>"$tmp/err"
[ -f "$tmp/names/out/web _1/summary.csv" ] \
    && [ -f "$tmp/names/out/web _2/summary.csv" ]
ok $? "web #1.ini and web #2.ini write two output directories"
latin=$(printf 'caf\351')
sed "/^name = /d" "$seed" >"$tmp/names/$latin.ini"
(cd "$tmp/names" && "$bin" run -q --no-plots "$latin.ini") 2>"$tmp/err"
"$bin" check "$tmp/names/out/caf_/scenario.ini" >/dev/null 2>"$tmp/err"
ok $? "a Latin-1 file name gives a name whose scenario.ini reads back"

# --- --set values (F21) -------------------------------------------------------
refuses "--set with ' #' in the value is refused, not cut" 2 \
    'a value cannot hold "#"' \
    "$bin" check "$seed" --set 'scenario.description=build #42'
"$bin" check "$seed" --set 'scenario.description=build#42' >/dev/null 2>&1
ok $? "--set with a '#' inside a word is kept"

# --- The memory budget (F3) -------------------------------------------------
# The new version never answers: only the run can see the requests pile
# up, and it stops with exit 1, writing nothing.
cat >"$tmp/slow.ini" <<'INI'
[scenario]
duration = 200s
max_memory = 32Mi
[deployment]
replicas = 3
version = v1
queue = unlimited
[version.v1]
service = exp(1ms)
[version.v2]
service = const(1000h)
[traffic]
rate = 20000
timeout = 1s
[strategy]
type = recreate
[rollout]
at = 1s
to = v2
INI
"$bin" check "$tmp/slow.ini" >/dev/null 2>&1
ok $? "a scenario whose growth only the run sees passes check"
refuses "...and its run stops at the budget with exit 1, saying what grew" 1 \
    "the run stopped at t=.*the requests held.*over scenario.max_memory (32Mi); deployment.queue bounds them" \
    "$bin" run --no-plots -o "$tmp/slow-out" "$tmp/slow.ini"
[ ! -e "$tmp/slow-out" ] && [ -z "$(ls -A "$tmp" | grep '^\.slow-out')" ]
ok $? "...and writes no output directory"
refuses "compare of it stops with exit 1 too" 1 \
    "replication 0: .*the run stopped at t=" \
    "$bin" compare --reps 1 --no-plots -o "$tmp/slow-cmp" "$tmp/slow.ini"

# --- Counts too large to run (F10) -----------------------------------------
refuses "compare --reps 2000000000: exit 2 at once" 2 "reps" \
    "$bin" compare --reps 2000000000 --no-plots -o "$tmp/reps"
refuses "compare --reps 1000001: exit 2, the cap named" 2 \
    "expected 1..1000000" "$bin" compare --reps 1000001 --no-plots \
    -o "$tmp/reps"
refuses "2 variants x --reps 1000000: exit 2" 2 \
    "more than 1000000 runs" "$bin" compare --reps 1000000 \
    --strategy rolling,recreate --no-plots -o "$tmp/reps"
refuses "sweep of a million combinations: exit 2 before loading them" 2 \
    "more than 1000000 runs" "$bin" sweep --reps 10 \
    --vary "traffic.rate=$(seq -s, 1 1000)" \
    --vary "deployment.replicas=$(seq -s, 1 1000)" --no-plots -o "$tmp/reps"
for k in 1 2; do
    "$bin" compare -q --no-plots --reps 2 --strategy rolling,recreate \
        --shard $k/2 -o "$tmp/shard$k" "$seed" 2>/dev/null
    sed -i 's/^replications=2$/replications=2000000000/' \
        "$tmp/shard$k/experiment.ini"
done
refuses "merge of shards that claim 2000000000 replications: exit 2" 2 \
    "not a valid experiment.ini: a value is out of range" \
    "$bin" merge -q --no-plots -o "$tmp/merged" "$tmp/shard1" "$tmp/shard2"

# --- ulimit -f ---------------------------------------------------------------
# Past the limit a write fails (SIGXFSZ is ignored): exit 1 with the
# reason, and no directory left behind.
(ulimit -f 8; "$bin" run --no-plots -o "$tmp/fsize" "$seed") \
    >/dev/null 2>"$tmp/err"
status=$?
[ $status -eq 1 ] && grep -q "write failed: File too large" "$tmp/err" \
    && [ ! -e "$tmp/fsize" ] && [ -z "$(ls -A "$tmp" | grep '^\.fsize')" ]
ok $? "ulimit -f exhausted: exit 1, File too large, nothing left (exit $status)"

# --- Checks that concern another strategy, warnings (F24, D12-D14) -------
"$bin" check "$seed" --set deployment.min_ready=15m \
    --set deployment.progress_deadline=none >/dev/null 2>"$tmp/err"
ok $? "rolling is not refused for the canary's progress_deadline (F24)"
refuses "...the canary is" 2 \
    "must be less than strategy.canary.progress_deadline (10m)" \
    "$bin" check "$seed" --set deployment.min_ready=15m \
    --set deployment.progress_deadline=none --set strategy.type=canary
refuses "[analysis] under rolling: a warning, exit 0 (D14)" 0 \
    "warning: --set analysis.metrics=error_rate < 0.02: \[analysis\]: written (analysis.metrics), but only the canary, bluegreen, flagger strategies read it" \
    "$bin" check "$seed" --set "analysis.metrics=error_rate < 0.02"
refuses "traffic.preview_rate under rolling: a warning (D14)" 0 \
    "warning: --set traffic.preview_rate=3: traffic.preview_rate: written, but only the bluegreen strategy reads it" \
    "$bin" check "$seed" --set traffic.preview_rate=3
refuses "pre-promotion analysis without preview traffic: a warning (D14)" 0 \
    "warning: --set strategy.bluegreen.pre_promotion_analysis=true: strategy.bluegreen.pre_promotion_analysis: it measures the preview Service's requests, but traffic.preview_rate is 0" \
    "$bin" check "$src/scenarios/bluegreen-seed.ini" \
    --set strategy.bluegreen.pre_promotion_analysis=true --set traffic.preview_rate=0
# ... and the run says why it aborted.
"$bin" run "$src/scenarios/bluegreen-seed.ini" --no-plots --no-report \
    -o "$tmp/bgpre" --set strategy.bluegreen.pre_promotion_analysis=true \
    --set traffic.preview_rate=0 >"$tmp/out" 2>/dev/null
grep -q '^  aborted   at 87.600s: pre-promotion analysis errored: 5 measurements in a row without data > consecutive_error_limit 4$' "$tmp/out"
ok $? "an aborted run's summary says why (the abort row of events.csv)"
refuses "a run of billions of requests: a warning with the time it will take (F16)" 0 \
    "warning: --set traffic.rate=100000: traffic.rate: about 8.6e+09 requests over scenario.duration: roughly 29 minutes at 5 million a second on one core" \
    "$bin" check "$seed" --set traffic.rate=100000 --set scenario.duration=24h
"$bin" check "$seed" 2>"$tmp/err" >/dev/null
[ ! -s "$tmp/err" ]
ok $? "the seed's [strategy.canary] and [strategy.bluegreen] never warn"
"$bin" check "$src/scenarios/bluegreen-seed.ini" \
    --set "analysis.metrics=error_rate < 0.02" --set traffic.preview_rate=3 \
    2>"$tmp/err" >/dev/null
[ ! -s "$tmp/err" ]
ok $? "blue-green reads both: no warning"
refuses "compare rolling,recreate: the shared warning, once (D14)" 0 \
    "warning: .*\[analysis\]: written" \
    "$bin" compare --reps 1 --no-plots -q -o "$tmp/cw" \
    --strategy rolling,recreate --set "analysis.metrics=error_rate < 0.02"
[ "$(grep -c warning "$tmp/err")" -eq 1 ]
ok $? "...printed once"
"$bin" compare --reps 1 --no-plots -q -o "$tmp/cw2" \
    --strategy rolling,canary --set "analysis.metrics=error_rate < 0.02" \
    2>"$tmp/err" >/dev/null
! grep -q "analysis" "$tmp/err"
ok $? "compare rolling,canary: canary reads [analysis], no warning"
refuses "compare --strategy canary without steps: a warning (D13)" 0 \
    "no strategy.canary.steps: the canary goes straight to full weight" \
    "$bin" compare --reps 1 --no-plots -q -o "$tmp/cw3" \
    --strategy rolling,canary --set "strategy.canary.steps="
refuses "initial pods that do not fit: a warning (D12)" 0 \
    "deployment.replicas: 10 initial pods, but the 3 node(s) hold 6 (short of cpu): 4 start Pending" \
    "$bin" check "$seed" --set deployment.replicas=10 --set deployment.cpu=1500m

# --- Arguments left over, help text (D15, D16, F25) ------------------------
refuses "keys rolling: exit 2, not every key (D15)" 2 \
    "keys: takes no argument" "$bin" keys rolling
refuses "keys --markdown extra: exit 2" 2 "keys: takes no argument" \
    "$bin" keys --markdown extra
refuses "--version extra: exit 2" 2 "--version takes no argument" \
    "$bin" --version extra
refuses "--help extra: exit 2" 2 "--help takes no argument" \
    "$bin" --help extra
LC_ALL=C.UTF-8 "$bin" run --help 2>&1 | grep -q 'rollsim run \[OPTION…\]'
ok $? "run --help says [OPTION…] in a UTF-8 locale (D16)"
LC_ALL=C.UTF-8 "$bin" run -q --no-plots -o "$tmp/utf8" "$seed" \
    --set traffic.rate=33.5 2>/dev/null
"$bin" run -q --no-plots -o "$tmp/c" "$seed" --set traffic.rate=33.5 \
    2>/dev/null
cmp -s "$tmp/utf8/summary.csv" "$tmp/c/summary.csv" \
    && cmp -s "$tmp/utf8/scenario.ini" "$tmp/c/scenario.ini"
ok $? "...and outputs are the same bytes as in the C locale"
refuses "a 1us run with a rollout names the duration as written (F25)" 2 \
    "the rollout would start after the run ends (duration 1us)" \
    "$bin" check "$seed" --set scenario.duration=1us

# --- More files that are not what they should be ---------------------------
printf '\377\376[\000s\000' >"$tmp/u16.ini"
refuses "a UTF-16 scenario: exit 2, says UTF-16" 2 \
    "UTF-16 text: save the scenario as UTF-8" "$bin" check "$tmp/u16.ini"
refuses "/dev/zero as a rate profile: exit 2, not a regular file" 2 \
    'traffic.profile: "/dev/zero" (/dev/zero) is not a regular file' \
    "$bin" check "$seed" --set traffic.profile=/dev/zero
refuses "compare --jobs 100000: exit 2" 2 "--jobs 100000: expected 1..256" \
    "$bin" compare --jobs 100000 --reps 1 --no-plots -o "$tmp/jobs"

done_testing
