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
