#!/bin/sh
# bench.sh - `make bench` and `make bench-scale`: speed figures, measured
# in one run against the commit the speed work started from, so that the
# ratios compare like with like on whatever machine runs them.  Figures,
# never pass/fail: timing is not a test.
#
#   sh tools/bench.sh bench BIN        scenarios/bench.ini (100 pods,
#                                      2,000 req/s, 30 min: 3.6 million
#                                      requests), best of 7, interleaved
#                                      with the baseline; instructions per
#                                      request from callgrind if valgrind
#                                      is there (wall time here is noisier
#                                      than a budget of a few percent); the
#                                      same model as a minimal C program
#                                      (tools/bench-minimal.c, best of 7,
#                                      interleaved) and in SimPy
#                                      (tools/bench-simpy.py, one run of 3
#                                      simulated minutes)
#   sh tools/bench.sh scale BIN        scenarios/bench-scale.ini (10,000
#                                      pods, 100,000 req/s, 1 h: 360
#                                      million requests): process time
#                                      against the baseline (best of 3
#                                      against best of 2, interleaved),
#                                      and requests per second at 10,000
#                                      pods against 100 pods with the
#                                      same traffic and with the same
#                                      load per pod, and the same three
#                                      shapes in the minimal C program
#
# The baseline (BENCH_BASE, default e760556) is built once from the git
# history into $BUILD/base-REV (git archive, then its own make); a clone
# without that commit (a shallow one) says so and skips the comparison.
# Times are CPU seconds (user + system) of the whole process, which other
# work on a shared machine disturbs less than wall time.
set -e
mode=${1:?usage: bench.sh bench|scale BIN}
bin=${2:-build/rollsim}
rev=${BENCH_BASE:-e760556}
builddir=$(dirname "$bin")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- The baseline -------------------------------------------------------

base=
basedir=$builddir/base-$rev
if ! git rev-parse --git-dir >/dev/null 2>&1; then
    echo "(not a git checkout: no comparison with $rev)"
elif ! git cat-file -e "$rev^{commit}" 2>/dev/null; then
    echo "($rev is not in this clone's history, a shallow clone?:" \
        "no comparison; git fetch --unshallow to get it)"
else
    if [ ! -x "$basedir/build/rollsim" ]; then
        echo "building $rev in $basedir (once) ..."
        rm -rf "$basedir" && mkdir -p "$basedir"
        git archive "$rev" | tar -x -C "$basedir"
        make -C "$basedir" -j2 >"$tmp/base-build.log" 2>&1 ||
            { cat "$tmp/base-build.log" >&2; exit 1; }
    fi
    base=$basedir/build/rollsim
fi

# The minimal C program of the model (tools/bench-minimal.c): built here
# with the compiler's plain -O2 (rollsim's own flags are the Makefile's),
# no library but libm.
minimal=
if ${CC:-cc} -O2 -std=c11 -o "$tmp/minimal" \
    "$(dirname "$0")/bench-minimal.c" -lm 2>"$tmp/minimal.err"; then
    minimal=$tmp/minimal
else
    echo "(tools/bench-minimal.c did not build: no comparison with it)"
fi

# --- Measuring ------------------------------------------------------------

# run BIN OUTFILE ARGS...: one run; OUTFILE gets "cpu_s requests events
# sim_wall_s peak_mib".
if [ -x /usr/bin/time ]; then
    timed() { /usr/bin/time -f '%U %S' -o "$tmp/time" "$@"; }
else
    timed() { "$@"; echo "0 0" >"$tmp/time"; }
fi
run() {
    b=$1 f=$2
    shift 2
    timed "$b" run "$@" --no-plots -q --stats -o "$tmp/out" 2>"$tmp/stats"
    stats=$(sed -n 's/^rollsim: \([0-9]*\) events, \([0-9]*\) requests in \([0-9.]*\) s .*peak memory \([0-9.]*\) MiB$/\2 \1 \3 \4/p' "$tmp/stats")
    [ -n "$stats" ] || { cat "$tmp/stats" >&2; exit 1; }
    echo "$(awk '{ print $1 + $2 }' "$tmp/time") $stats" >"$f"
}
# best FILE...: the line with the smallest cpu time.
best() { sort -n -k1,1 "$@" | head -n 1; }
field() { echo "$1" | awk -v i="$2" '{ print $i }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }'; }
rate() { awk -v n="$1" -v t="$2" 'BEGIN { if (t > 0) printf "%.0f", n / t; else print "-" }'; }

# instructions COMMAND...: the instructions COMMAND executes (callgrind);
# its standard output goes to $tmp/cg.stdout, its errors to $tmp/cg.err.
instructions() {
    valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" \
        "$@" >"$tmp/cg.stdout" 2>"$tmp/cg.err"
    sed -n 's/^\(totals\|summary\): \([0-9]*\).*/\2/p' "$tmp/cg.out" | head -n 1
}
callgrind_per_request() {
    ir=$(instructions "$1" run scenarios/bench.ini --set scenario.duration=5m \
        --set rollout.at=2m --no-plots -q --stats -o "$tmp/cg")
    req=$(sed -n 's/^rollsim: [0-9]* events, \([0-9]*\) requests.*/\1/p' "$tmp/cg.err")
    awk -v i="$ir" -v r="$req" 'BEGIN { printf "%.0f", i / r }'
}

row() { printf '  %-26s %14s %14s %8s\n' "$@"; }

# yardstick OUTFILE PROGRAM ARGS...: one run of the model in another
# program; OUTFILE gets "cpu_s requests mean_ms wait_prob" from the line
# it prints.
yardstick() {
    f=$1
    shift
    timed "$@" >"$tmp/yard" 2>&1 || { cat "$tmp/yard" >&2; exit 1; }
    echo "$(awk '{ print $1 + $2 }' "$tmp/time") $(awk '{ print $2, $10, $12 }' "$tmp/yard")" >"$f"
}
# column NAME: NAME's value in the run's summary.csv (the last run).
column() {
    awk -F, -v k="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == k) c = i }
        NR == 2 && c { print $c }' "$tmp/out/summary.csv"
}
# Python with SimPy: Debian's (python3-simpy3), else the PATH's.
simpy_python() {
    for py in /usr/bin/python3 python3; do
        if "$py" -c 'import simpy' >/dev/null 2>&1; then
            echo "$py"
            return
        fi
    done
}
# compare_models: rollsim's best run of bench.ini against the same model
# in the minimal C program and in SimPy: requests per CPU second of the
# whole process (start-up included for all three), instructions per
# request, and the model's figures side by side, which must agree (the
# three draw different random numbers).
compare_models() {
    run "$bin" "$tmp/last" scenarios/bench.ini
    rmean=$(column mean_ms)
    rwait=$(column wait_prob)
    rr=$(rate "$(field "$new" 2)" "$(field "$new" 1)")
    echo "  the same model in other programs (scenarios/bench.ini's traffic and"
    echo "  pods; rollsim also rolls them out, the others do not; requests per"
    echo "  CPU second of the whole process):"
    row "" "requests/cpu s" "instr/request" "rollsim"
    row "rollsim" "$rr" "${ni:--}" ""
    if [ -n "$minimal" ]; then
        m=$(best "$tmp"/min.*)
        mr=$(rate "$(field "$m" 2)" "$(field "$m" 1)")
        mi=-
        if command -v valgrind >/dev/null 2>&1; then
            mi=$(instructions "$minimal" 100 2000 300)
            mi=$(awk -v i="$mi" '{ printf "%.0f", i / $2 }' "$tmp/cg.stdout")
        fi
        row "minimal C, best of 7" "$mr" "$mi" "$(ratio "$rr" "$mr")"
    fi
    py=$(simpy_python)
    if [ -n "$py" ]; then
        yardstick "$tmp/simpy" "$py" "$(dirname "$0")/bench-simpy.py" 100 2000 180
        s=$(cat "$tmp/simpy")
        sr=$(rate "$(field "$s" 2)" "$(field "$s" 1)")
        row "SimPy $("$py" -c 'import simpy; print(simpy.__version__)'), 3 min" "$sr" "-" "$(ratio "$rr" "$sr")"
    else
        echo "  (SimPy is not installed: make bench-deps installs python3-simpy3)"
    fi
    echo "  (ratio: rollsim's rate over the other program's, above 1x is"
    echo "   rollsim faster; instructions: callgrind, 5 simulated minutes."
    echo "   The model's figures agree, each drawn from its own random numbers:"
    printf '   mean latency ms %s rollsim' "$rmean"
    [ -z "$minimal" ] || printf ', %s minimal C' "$(field "$m" 3)"
    [ -z "$py" ] || printf ', %s SimPy' "$(field "$s" 3)"
    printf ';\n   P(wait) %s rollsim' "$rwait"
    [ -z "$minimal" ] || printf ', %s minimal C' "$(field "$m" 4)"
    [ -z "$py" ] || printf ', %s SimPy' "$(field "$s" 4)"
    echo ")"
}

# --- make bench -------------------------------------------------------------

if [ "$mode" = bench ]; then
    echo "rollsim bench: scenarios/bench.ini (3.6 million requests; best of 7${base:+, interleaved with $rev})"
    for i in 1 2 3 4 5 6 7; do
        run "$bin" "$tmp/new.$i" scenarios/bench.ini
        [ -z "$base" ] || run "$base" "$tmp/base.$i" scenarios/bench.ini
        [ -z "$minimal" ] || yardstick "$tmp/min.$i" "$minimal"
    done
    # Rates from the simulation's own wall time (--stats), as before.
    new=$(best "$tmp"/new.*)
    nr=$(rate "$(field "$new" 2)" "$(field "$new" 4)")
    ne=$(rate "$(field "$new" 3)" "$(field "$new" 4)")
    row "" "this tree" "${base:+$rev}" "${base:+ratio}"
    if [ -n "$base" ]; then
        old=$(best "$tmp"/base.*)
        or=$(rate "$(field "$old" 2)" "$(field "$old" 4)")
        oe=$(rate "$(field "$old" 3)" "$(field "$old" 4)")
        row "requests/s" "$nr" "$or" "$(ratio "$nr" "$or")"
        row "events/s" "$ne" "$oe" "$(ratio "$ne" "$oe")"
        row "cpu s (whole run)" "$(field "$new" 1)" "$(field "$old" 1)" \
            "$(ratio "$(field "$old" 1)" "$(field "$new" 1)")"
        row "peak memory MiB" "$(field "$new" 5)" "$(field "$old" 5)" ""
    else
        row "requests/s" "$nr" "" ""
        row "events/s" "$ne" "" ""
        row "peak memory MiB" "$(field "$new" 5)" "" ""
    fi
    if command -v valgrind >/dev/null 2>&1; then
        ni=$(callgrind_per_request "$bin")
        if [ -n "$base" ]; then
            oi=$(callgrind_per_request "$base")
            row "instructions/request" "$ni" "$oi" "$(ratio "$oi" "$ni")"
        else
            row "instructions/request" "$ni" "" ""
        fi
        echo "  (instructions: callgrind, 5 simulated minutes; ratios are"
        echo "   speed-ups, above 1x is faster than $rev)"
    else
        echo "  (no valgrind: no instruction counts)"
    fi
    compare_models
    run "$bin" "$tmp/half" scenarios/bench.ini --set scenario.duration=15m \
        --set rollout.at=7m30s
    echo "  peak memory 15 min $(field "$(cat "$tmp/half")" 5) MiB," \
        "30 min $(field "$new" 5) MiB (flat: pools grow with requests" \
        "in flight, not with simulated time)"

    # Importing a large rendered chart: 1,000 Deployments with their
    # Services (each the shape helm template writes), one simulated and
    # 999 as background workloads.
    awk 'BEGIN {
        for (i = 0; i < 1000; i++) {
            printf "---\n# Source: big/templates/svc-%d.yaml\napiVersion: apps/v1\n", i
            printf "kind: Deployment\nmetadata:\n  name: svc-%d\n  labels: &l%d\n", i, i
            printf "    app.kubernetes.io/name: svc-%d\n    app.kubernetes.io/instance: big\n", i
            printf "spec:\n  replicas: %d\n  selector:\n    matchLabels: *l%d\n", 1 + i % 3, i
            printf "  template:\n    metadata:\n      labels: *l%d\n    spec:\n", i
            printf "      containers:\n      - name: app\n        image: example/svc-%d:1.%d.0\n", i, i
            printf "        ports: [{containerPort: 8080}]\n        env:\n"
            for (e = 0; e < 8; e++) printf "        - {name: VAR_%d, value: \"%d\"}\n", e, e
            printf "        resources: {requests: {cpu: 10m, memory: 16Mi}}\n"
            printf "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc-%d\n", i
            printf "spec:\n  selector: {app.kubernetes.io/name: svc-%d}\n", i
            printf "  ports: [{port: 80, targetPort: 8080}]\n"
        } }' > "$tmp/chart.yaml"
    start=$(date +%s%N)
    "$bin" import "$tmp/chart.yaml" --workload Deployment/svc-0 -q -o "$tmp/chart.ini"
    end=$(date +%s%N)
    echo "  import: $(grep -c '^---' "$tmp/chart.yaml") documents, $(($(wc -c < "$tmp/chart.yaml") / 1024)) KiB of YAML in $(( (end - start) / 1000000 )) ms"

    # Plots (7 days against 1 hour) and report.html (1,000 pods).
    sh "$(dirname "$0")/bench-report.sh" "$bin"
    exit 0
fi

# --- make bench-scale ------------------------------------------------------------

[ "$mode" = scale ] || { echo "bench.sh: unknown mode $mode" >&2; exit 2; }
echo "rollsim bench-scale: scenarios/bench-scale.ini (10,000 pods, 100,000 req/s, 1 h; best of 3${base:+, interleaved with $rev}'s best of 2)"
# The 100-pod runs make as many requests as the 10,000-pod run (360
# million), so that they take about as long: this machine's bursts of
# load last seconds, and the best of a few 3-second runs would be
# compared with the best of a few 40-second ones.
#
# 100 pods with the same traffic: 100,000 req/s on 400 servers a pod,
# so the requests in flight and the events are those of 10,000 pods and
# only the number of pods differs.
same() {
    run "$bin" "$tmp/same.$1" scenarios/bench-scale.ini \
        --set deployment.replicas=100 --set cluster.nodes=25 \
        --set deployment.concurrency=400
}
# 100 pods with the same load per pod: 1,000 req/s for 100 simulated
# hours, a hundredth of the requests in flight (what fits in a cache).
small() {
    run "$bin" "$tmp/small.$1" scenarios/bench-scale.ini \
        --set deployment.replicas=100 --set cluster.nodes=25 \
        --set traffic.rate=1000 --set scenario.duration=100h \
        --set rollout.at=50h
}
# Rounds of every run, interleaved: one run of this size can take half
# as long again as the next on a shared machine, and the ratios compare
# runs of the same round's neighbourhood.  This tree's runs are best of
# three, the baseline's (100 s each) of two.
for i in 1 2 3; do
    run "$bin" "$tmp/new.$i" scenarios/bench-scale.ini
    same "$i"
    small "$i"
    # The minimal C program on the three shapes, 60 million requests
    # each (it has no fixed costs to spread over a longer run).
    if [ -n "$minimal" ]; then
        yardstick "$tmp/m10k.$i" "$minimal" 10000 100000 600 4 50 40 5
        yardstick "$tmp/msame.$i" "$minimal" 100 100000 600 400 50 40 5
        yardstick "$tmp/msmall.$i" "$minimal" 100 1000 60000 4 50 40 5
    fi
    [ "$i" = 3 ] || [ -z "$base" ] ||
        run "$base" "$tmp/base.$i" scenarios/bench-scale.ini
done
new=$(best "$tmp"/new.*)
same=$(best "$tmp"/same.*)
small=$(best "$tmp"/small.*)
row "" "this tree" "${base:+$rev}" "${base:+ratio}"
if [ -n "$base" ]; then
    old=$(best "$tmp"/base.*)
    row "cpu s, 10,000 pods" "$(field "$new" 1)" "$(field "$old" 1)" \
        "$(ratio "$(field "$new" 1)" "$(field "$old" 1)")"
    row "peak memory MiB" "$(field "$new" 5)" "$(field "$old" 5)" ""
    echo "  (time ratio: this tree's time over $rev's; the target is 0.60x or less)"
else
    row "cpu s, 10,000 pods" "$(field "$new" 1)" "" ""
fi
r10k=$(rate "$(field "$new" 2)" "$(field "$new" 1)")
rsame=$(rate "$(field "$same" 2)" "$(field "$same" 1)")
r100=$(rate "$(field "$small" 2)" "$(field "$small" 1)")
row "requests/cpu s, 10,000 pods" "$r10k" "" ""
row "  100 pods, same traffic" "$rsame" "" "$(ratio "$r10k" "$rsame")"
row "  100 pods, same load/pod" "$r100" "" "$(ratio "$r10k" "$r100")"
if [ -n "$minimal" ]; then
    m10k=$(best "$tmp"/m10k.*)
    msame=$(best "$tmp"/msame.*)
    msmall=$(best "$tmp"/msmall.*)
    m10kr=$(rate "$(field "$m10k" 2)" "$(field "$m10k" 1)")
    msamer=$(rate "$(field "$msame" 2)" "$(field "$msame" 1)")
    msmallr=$(rate "$(field "$msmall" 2)" "$(field "$msmall" 1)")
    echo "  the same shapes in the minimal C program (tools/bench-minimal.c, no"
    echo "  rollout, 60 million requests each, best of 3):"
    row "requests/cpu s, 10,000 pods" "$m10kr" "" ""
    row "  100 pods, same traffic" "$msamer" "" "$(ratio "$m10kr" "$msamer")"
    row "  100 pods, same load/pod" "$msmallr" "" "$(ratio "$m10kr" "$msmallr")"
    row "rollsim over it, 10,000 pods" "" "" "$(ratio "$r10k" "$m10kr")"
fi
echo "  (ratios: the rate at 10,000 pods over the rate at 100 pods.  Same"
echo "   traffic: 100,000 req/s on 100 pods of 400 servers, the same"
echo "   requests in flight: the cost of the number of pods alone, the"
echo "   row the target of 0.85x or more is read on.  Same load per pod:"
echo "   1,000 req/s for 100 h, a hundredth of the requests in flight, all"
echo "   in cache: adds what a working set 100 times larger costs, which"
echo "   no program of this model escapes; the minimal one loses more"
echo "   there: its binary heap deepens with the events pending, and its"
echo "   events and pods outgrow the cache too.  Each rollsim run makes"
echo "   360 million requests.)"
