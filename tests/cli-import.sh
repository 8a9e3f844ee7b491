#!/bin/sh
# cli-import.sh - manifests as input (TAP, run by prove).
#
# Each fixture under tests/data/import/ (a .yaml file or a directory) is
# imported, checked, run, and checked field by field: a comment
#     # expect: mapped -> deployment.replicas = 5
# above a field says what the report line of the field (the next line
# that is not a comment) must hold; `# expect-options:` gives the
# command-line options.  Each file of tests/data/import/bad/ exits 2
# with its `# expect-error:` message and writes nothing.  Every row of
# the mapping table (docs/import.md) must be met by some fixture.
. "$(dirname "$0")/cli-lib.sh"

data="$src/tests/data/import"
cd "$data" || exit 1

# expectations FILE: "LINE<TAB>TEXT" for each # expect: in FILE, LINE
# the field's (the next line that is not a comment).
expectations () {
    awk '/^[ \t]*# expect: / { sub(/^[ \t]*# expect: /, ""); want[++n] = $0;
                               next }
         /^[ \t]*#/ { next }
         n > 0 { for (i = 1; i <= n; i++) printf "%d\t%s\n", NR, want[i];
                 n = 0 }' "$1"
}

options () {
    cat "$@" 2>/dev/null | sed -n 's/^# expect-options: //p' | head -n 1
}

: > "$tmp/all-reports"
for fixture in *.yaml */; do
    fixture=${fixture%/}
    [ "$fixture" = bad ] && continue
    if [ -d "$fixture" ]; then
        files=$(ls "$fixture"/*.yaml "$fixture"/*.yml 2>/dev/null)
    else
        files=$fixture
    fi
    # shellcheck disable=SC2086
    opts=$(options $files)

    # shellcheck disable=SC2086
    "$bin" import "$fixture" $opts -o "$tmp/$fixture.ini" \
        2>"$tmp/report" >/dev/null
    ok $? "import $fixture $opts"
    cat "$tmp/report" >> "$tmp/all-reports"
    "$bin" check "$tmp/$fixture.ini" >/dev/null 2>&1
    ok $? "check accepts the scenario imported from $fixture"
    # Every key line says where its value came from.
    bad=$(grep -v '^#' "$tmp/$fixture.ini" | grep ' = \| =$' \
        | grep -v ' # \(default\|overlay\|.*:[0-9]* (.*)\|--to (.*)\)$' | head -n 3)
    [ -z "$bad" ]
    ok $? "every key of $fixture's scenario names its origin${bad:+: $bad}"
    # shellcheck disable=SC2086
    "$bin" check "$fixture" $opts >/dev/null 2>&1
    ok $? "check $fixture $opts (in memory)"
    # shellcheck disable=SC2086
    "$bin" run "$fixture" $opts --set scenario.duration=90s --no-plots -q \
        -o "$tmp/run-$fixture" >/dev/null 2>&1 \
        && [ -s "$tmp/run-$fixture/summary.csv" ]
    ok $? "run $fixture $opts"

    good=0
    for f in $files; do
        expectations "$f" > "$tmp/want"
        while IFS="	" read -r line want; do
            if ! grep -F -- "$want" "$tmp/report" \
                | grep -q "^$f:$line: "; then
                echo "# $f:$line: no report line holds: $want" >&2
                good=1
            fi
        done < "$tmp/want"
    done
    ok $good "$fixture: every field maps to the expected key and value"
done

# Bad inputs: exit 2, the message, nothing written.
for f in bad/*.yaml; do
    want=$(sed -n 's/^# expect-error: //p' "$f")
    opts=$(options "$f")
    # shellcheck disable=SC2086
    (cd bad && "$bin" import "$(basename "$f")" $opts -o "$tmp/bad.ini" \
        >/dev/null 2>"$tmp/err")
    status=$?
    [ $status -eq 2 ] && grep -qF -- "$want" "$tmp/err" && [ ! -e "$tmp/bad.ini" ]
    ok $? "import rejects $f with 2 and writes nothing: $(head -c 120 "$tmp/err")"
    # shellcheck disable=SC2086
    (cd bad && "$bin" run "$(basename "$f")" $opts -o "$tmp/bad-run" \
        --no-plots >/dev/null 2>&1)
    [ $? -eq 2 ] && [ ! -e "$tmp/bad-run" ]
    ok $? "run rejects $f with 2"
done

# A document over the size limit is refused, not read.
awk 'BEGIN { print "kind: ConfigMap\ndata:";
             for (i = 0; i < 500000; i++) printf "  k%d: v%d\n", i, i }' \
    > "$tmp/huge.yaml"
"$bin" import "$tmp/huge.yaml" -o "$tmp/huge.ini" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "document 1 is larger than 8388608 bytes (refused)" \
    "$tmp/err" && [ ! -e "$tmp/huge.ini" ]
ok $? "a document over 8 MiB is refused"

# Not text: refused at the first NUL, not at the size limit.
"$bin" import /dev/zero -o "$tmp/zero.ini" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "/dev/zero:1:1: not a text file" "$tmp/err" \
    && [ ! -e "$tmp/zero.ini" ]
ok $? "/dev/zero is refused as not text"

# Standard input, as kustomize build | rollsim import -.
"$bin" import - < argo-canary.yaml > "$tmp/stdin.ini" 2>"$tmp/report"
ok $? "import - reads standard input"
grep -q '^replicas = 5 .*# (stdin):12 (spec.replicas)$' "$tmp/stdin.ini"
ok $? "origins from standard input name (stdin)"

# The overlay says what manifests do not, and wins where both say.
cat > "$tmp/overlay.ini" <<'EOF'
[cluster]
nodes = 6
[deployment]
replicas = 7
[version.2.3.1]
service = exp(30ms)
error_rate = 0.001
[version.bad]
error_rate = 0.2
[traffic]
rate = 80
EOF
"$bin" import argo-canary.yaml --overlay "$tmp/overlay.ini" \
    -o "$tmp/ov.ini" 2>"$tmp/report"
ok $? "import with an overlay"
grep -q '^replicas = 7 *# overlay$' "$tmp/ov.ini" \
    && grep -q 'spec.replicas: mapped -> deployment.replicas = 5 (the overlay.s value wins)' \
        "$tmp/report"
ok $? "the overlay's replicas win, and the report says so"
sed -n '/^\[version.2.3.1-next\]/,/^$/p' "$tmp/ov.ini" > "$tmp/next"
grep -q '^service = exp(30ms) .*overlay.ini:6 (version.2.3.1.service, the running version.s, for 2.3.1-next)$' "$tmp/next" \
    && grep -q '^error_rate = 0.001 ' "$tmp/next"
ok $? "the next version takes the running version's overlay settings"
grep -q '^nodes = 6 *# overlay$' "$tmp/ov.ini"
ok $? "overlay keys say # overlay"
"$bin" import argo-canary.yaml --overlay "$tmp/overlay.ini" --to bad \
    -o "$tmp/to.ini" 2>/dev/null \
    && grep -q '^to = bad *# --to (bad)$' "$tmp/to.ini" \
    && [ "$(grep -c '^\[version\.' "$tmp/to.ini")" -eq 2 ]
ok $? "--to names a version of the overlay"
"$bin" run argo-canary.yaml --overlay "$tmp/overlay.ini" --to bad \
    --set scenario.duration=3m -q --no-plots -o "$tmp/run-to" 2>/dev/null
ok $? "run manifests with an overlay and --to"
"$bin" check "$tmp/overlay.ini" --overlay "$tmp/overlay.ini" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "go with manifests" "$tmp/err"
ok $? "--overlay with a scenario file is a usage error"

# A Flagger match rule: the share of users is the overlay's.
printf '[strategy.flagger]\nmatch = 10%%\n' > "$tmp/match.ini"
"$bin" import flagger-abtest.yaml --overlay "$tmp/match.ini" \
    -o "$tmp/ab.ini" 2>"$tmp/report" \
    && grep -q "spec.analysis.match: ignored (which requests, not how many: the share is the overlay's strategy.flagger.match)" "$tmp/report" \
    && grep -q '^match = 10% *# overlay$' "$tmp/ab.ini"
ok $? "a Flagger match rule takes its share from the overlay"

# Loader errors about an imported value name the YAML line.
"$bin" run argo-canary.yaml --set cluster.node_cpu=100m --no-plots \
    -o "$tmp/x" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'argo-canary.yaml:38 (spec.template.spec: the cpu request): deployment.cpu' "$tmp/err"
ok $? "a check on an imported value names the manifest's line"

# compare and sweep take manifests too.
"$bin" compare argo-canary.yaml --strategy canary,rolling --reps 2 \
    --set scenario.duration=2m --set analysis.background=false \
    --no-plots -q -o "$tmp/cmp" >/dev/null 2>&1 \
    && [ "$(wc -l < "$tmp/cmp/compare.csv")" -gt 2 ]
ok $? "compare manifests under two strategies"
"$bin" sweep demo-shop --workload Deployment/frontend --reps 1 \
    --vary strategy.rolling.max_surge=1,2 --set scenario.duration=2m \
    --no-plots -q -o "$tmp/sw" >/dev/null 2>&1 \
    && [ -s "$tmp/sw/sweep.csv" ]
ok $? "sweep manifests"

# docs/import.md's walk-through, as written there.
walk="$src/scenarios/import"
quoted=$(sed -n 's/^      \(traffic   [0-9]* requests.*\)$/\1/p' "$src/docs/import.md")
"$bin" run "$walk/web.yaml" --overlay "$walk/web-overlay.ini" --to 1.9.0 \
    --no-plots -o "$tmp/walk" > "$tmp/walk.txt" 2>/dev/null \
    && grep -q '^web: rolling of 1.8.0 -> 1.9.0, 6 replicas' "$tmp/walk.txt" \
    && grep -q 'rollout   completed in 42.322s (30.000s -> 72.322s)' "$tmp/walk.txt" \
    && [ -n "$quoted" ] && grep -qxF "  $quoted" "$tmp/walk.txt"
ok $? "the walk-through's run: the rolling update completes, with the figures docs/import.md quotes"
"$bin" compare "$walk/web.yaml" --overlay "$walk/web-overlay.ini" --to 1.9.0 \
    --strategy rolling,canary \
    --set 'strategy.canary.steps=set-weight 20; analysis; set-weight 50; analysis' \
    --set analysis.interval=20s --set analysis.count=2 --reps 3 --no-plots \
    -o "$tmp/walk-cmp" > "$tmp/walk-cmp.txt" 2>/dev/null \
    && grep -q '^aborted  *0.00* ± 0.00*  *1.00* ± 0.00*' "$tmp/walk-cmp.txt"
ok $? "the walk-through's comparison: the canary aborts, the rolling update does not"

# The table in docs/import.md is the program's.
"$bin" import --table markdown > "$tmp/table.md"
sed -n '/^<!-- table: rollsim import --table markdown -->$/,/^<!-- end of table -->$/p' \
    "$src/docs/import.md" | sed '1d;$d' > "$tmp/doc-table.md"
same "$tmp/table.md" "$tmp/doc-table.md" \
    "docs/import.md's table is rollsim import --table markdown (make docs)"

# Every row of the table is met by a fixture: a report line of one of
# its kinds whose field, indices blanked, is the row's (or under it, for
# FIELD.*), with the row's fate unless a converter decides it.
"$bin" import --table tsv > "$tmp/table.tsv"
sed -n 's/^[^:]*:[0-9]*: \([^/]*\)\/[^:]*: \([^:]*\): \([a-z]*\).*/\1\t\2\t\3/p' \
    "$tmp/all-reports" | sed 's/\[[0-9]*\]/[]/g' > "$tmp/met.tsv"
awk -F '\t' '
    NR == FNR { met[++m] = $0; next }
    { n = split($1, kinds, " ")
      for (k = 1; k <= n; k++) exact[kinds[k] SUBSEP $2] = 1
      row[++r] = $0 }
    END {
        for (i = 1; i <= r; i++) {
            split(row[i], f, "\t")
            n = split(f[1], kinds, " ")
            wild = f[2] ~ /\.\*$/
            prefix = substr(f[2], 1, length(f[2]) - 2)
            found = 0
            for (j = 1; j <= m && !found; j++) {
                split(met[j], g, "\t")
                kind_ok = 0
                for (k = 1; k <= n; k++) if (kinds[k] == g[1]) kind_ok = 1
                if (!kind_ok) continue
                if (wild)
                    path_ok = index(g[2], prefix ".") == 1 \
                              || index(g[2], prefix "[") == 1
                else
                    path_ok = g[2] == f[2]
                if (wild && (g[1] SUBSEP g[2]) in exact) path_ok = 0
                if (path_ok && (f[3] == "mapped" || f[3] == g[3])) found = 1
            }
            if (!found) { print "# not met: " row[i] > "/dev/stderr"; bad = 1 }
        }
        exit bad
    }' "$tmp/met.tsv" "$tmp/table.tsv"
ok $? "every row of the mapping table is met by a fixture"

# An import whose scenario is refused prints the report so far, then the
# error: the user sees what was mapped from where.
cat > "$tmp/inline-forever.yaml" <<'YAML'
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web}
spec:
  replicas: 5
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: app, image: web:1}]
  strategy:
    canary:
      steps:
      - setWeight: 20
      - analysis:
          templates: [{templateName: success-rate}]
---
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: success-rate}
spec:
  metrics:
  - name: success-rate
    interval: 5m
    successCondition: result[0] >= 0.95
    provider:
      prometheus:
        query: sum(rate(http_requests_total{code!~"5.*"}[5m])) / sum(rate(http_requests_total[5m]))
YAML
"$bin" import "$tmp/inline-forever.yaml" -o "$tmp/inline-forever.ini" 2>"$tmp/err"
[ $? -eq 2 ] && [ ! -e "$tmp/inline-forever.ini" ] \
    && grep -q 'spec.metrics\[0\].interval: mapped -> analysis.interval = 5m' "$tmp/err" \
    && tail -1 "$tmp/err" | grep -q 'inline-forever.yaml:12 (spec.strategy.canary): strategy.canary.steps: step 2 "analysis": an inline analysis with analysis.count = 0'
ok $? "a refused import: the mapping report, then the error naming the field; nothing written"

# A metric whose condition rollsim cannot read (a Job): the report says
# that analysis.metrics keeps its default, unless the overlay says it.
sed -e 's/^    interval: 5m$/    count: 2/' -e '/successCondition/d' \
    -e 's/^      prometheus:$/      job: {}/' -e '/query:/d' \
    "$tmp/inline-forever.yaml" > "$tmp/job.yaml"
"$bin" import "$tmp/job.yaml" -o "$tmp/job.ini" 2>"$tmp/err" \
    && grep -q 'job.yaml:23: AnalysisTemplate/success-rate: spec.metrics: unsupported (no successCondition or failureCondition rollsim can read: analysis.metrics keeps its default' "$tmp/err"
ok $? "a metric with no readable condition is reported, with the overlay key to set"
printf '[analysis]\nmetrics = error_rate < 0.05\n' > "$tmp/job-overlay.ini"
"$bin" import "$tmp/job.yaml" --overlay "$tmp/job-overlay.ini" -o "$tmp/job2.ini" 2>"$tmp/err" \
    && ! grep -q 'no successCondition' "$tmp/err" \
    && grep -q '^metrics = error_rate < 0.05 ' "$tmp/job2.ini"
ok $? "...and not when the overlay says what to judge"

done_testing
