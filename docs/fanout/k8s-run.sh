#!/bin/sh
# k8s-run.sh - run a sharded sweep on Kubernetes (k8s-indexed-job.yaml),
# merge it (k8s-merge-job.yaml) and copy the result here.
#
#   docs/fanout/k8s-run.sh SCENARIO.ini [OUTDIR]
#
# Uses the current kubectl context and namespace.  Edit the command line
# and the image in k8s-indexed-job.yaml first.
set -eu
here=$(dirname "$0")
scenario=${1:?usage: k8s-run.sh SCENARIO.ini [OUTDIR]}
out=${2:-out/k8s-sweep}

# A fresh volume: shards of an earlier experiment would make merge refuse.
kubectl delete job rollsim-sweep rollsim-merge --ignore-not-found
kubectl delete pvc rollsim-results --ignore-not-found
kubectl delete configmap rollsim-scenario --ignore-not-found
kubectl create configmap rollsim-scenario --from-file=scenario.ini="$scenario"
kubectl apply -f "$here/k8s-indexed-job.yaml"
kubectl wait --for=condition=complete --timeout=24h job/rollsim-sweep
kubectl apply -f "$here/k8s-merge-job.yaml"
kubectl wait --for=condition=complete --timeout=1h job/rollsim-merge
kubectl logs job/rollsim-merge

# Copy /results/merged out through a short-lived pod on the volume.
kubectl run rollsim-fetch --restart=Never --image=busybox:1.36 \
  --overrides='{"spec":{"containers":[{"name":"rollsim-fetch","image":"busybox:1.36","command":["sleep","600"],"volumeMounts":[{"name":"r","mountPath":"/results"}]}],"volumes":[{"name":"r","persistentVolumeClaim":{"claimName":"rollsim-results"}}]}}'
kubectl wait --for=condition=ready --timeout=5m pod/rollsim-fetch
mkdir -p "$(dirname "$out")"
kubectl cp rollsim-fetch:/results/merged "$out"
kubectl delete pod rollsim-fetch --wait=false
echo "merged result in $out/"
