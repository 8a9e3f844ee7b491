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
refuses "a directory as the scenario: exit 2" 2 \
    "cannot read: Is a directory" "$bin" check "$tmp"
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

done_testing
