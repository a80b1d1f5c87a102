#!/usr/bin/env bash
# Smoke test of the control plane that build.sh builds: starts etcd and kube-apiserver on
# 127.0.0.1 only (free ports, data and certs in a temp dir), with RBAC, an admin from a static
# token file and a service-account signing key made with openssl, then checks through kubectl:
# /version reports the pinned release, /readyz is ok, a TokenRequest is signed, RBAC denies that
# service account, and every listener is on loopback. Stops everything it started.
# (--endpoint-reconciler-type=none: the apiserver refuses a loopback --advertise-address for the
# endpoints of the "kubernetes" Service, and nothing here needs them.)
#
# Usage: e2e/control-plane/smoke.sh [BIN_DIR]
#   BIN_DIR defaults to the directory printed by build.sh --no-helm (which builds when needed).
# Needs: openssl, curl. Exit code 0 when every check passed; closing line "smoke: N passed, N failed".
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.env
source "$HERE/versions.env"
BIN=${1:-$("$HERE/build.sh" --no-helm | tail -n 1)}
for b in etcd kube-apiserver kubectl; do
  [[ -x $BIN/$b ]] || { echo "smoke: $BIN/$b is missing; run e2e/control-plane/build.sh" >&2; exit 1; }
done
for t in openssl curl; do
  command -v "$t" >/dev/null || { echo "smoke: '$t' is required" >&2; exit 1; }
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/crosswind-smoke.XXXXXX")
PIDS=()
cleanup() {
  local pid
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do # apiserver first, then etcd
    pid=${PIDS[i]}
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A port that nothing on 127.0.0.1 listens on and that we have not handed out yet.
USED_PORTS=" "
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 30000))
    [[ $USED_PORTS == *" $p "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then USED_PORTS+="$p "; echo "$p"; return; fi
  done
}
wait_for() { # seconds description command... (gives up early when a started process died)
  local deadline=$((SECONDS + $1)) what=$2 pid; shift 2
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || { echo "smoke: timed out waiting for $what" >&2; return 1; }
    for pid in "${PIDS[@]}"; do
      kill -0 "$pid" 2>/dev/null || { echo "smoke: process $pid exited while waiting for $what" >&2; return 1; }
    done
    sleep 0.5
  done
}

PASSED=0 FAILED=0
check() { # description command... (prints the command's output)
  local what=$1 out; shift
  if out=$("$@" 2>&1); then
    PASSED=$((PASSED + 1)); printf 'ok   %s\n' "$what"
  else
    FAILED=$((FAILED + 1)); printf 'FAIL %s\n' "$what"
  fi
  [[ -z $out ]] || printf '%s\n' "$out" | sed 's/^/     /'
}

ETCD_CLIENT=$(free_port) ETCD_PEER=$(free_port) API_PORT=$(free_port)
t0=$SECONDS
"$BIN/etcd" --name smoke --data-dir "$WORK/etcd" --log-level warn \
  --listen-client-urls "http://127.0.0.1:$ETCD_CLIENT" --advertise-client-urls "http://127.0.0.1:$ETCD_CLIENT" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER" \
  --initial-cluster "smoke=http://127.0.0.1:$ETCD_PEER" >"$WORK/etcd.log" 2>&1 &
PIDS+=($!)
wait_for 60 "etcd health" curl -fsS "http://127.0.0.1:$ETCD_CLIENT/health" ||
  { tail -n 20 "$WORK/etcd.log" >&2; exit 1; }
echo "etcd up on 127.0.0.1:$ETCD_CLIENT (peer $ETCD_PEER) after $((SECONDS - t0))s"

openssl genrsa -out "$WORK/sa.key" 2048 2>/dev/null
openssl rsa -in "$WORK/sa.key" -pubout -out "$WORK/sa.pub" 2>/dev/null
ADMIN_TOKEN=$(openssl rand -hex 24)
echo "$ADMIN_TOKEN,crosswind-admin,crosswind-admin,system:masters" >"$WORK/tokens.csv"

t1=$SECONDS
"$BIN/kube-apiserver" \
  --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$API_PORT" \
  --cert-dir="$WORK/certs" --etcd-servers="http://127.0.0.1:$ETCD_CLIENT" \
  --authorization-mode=Node,RBAC --token-auth-file="$WORK/tokens.csv" \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$WORK/sa.pub" --service-account-signing-key-file="$WORK/sa.key" \
  --service-cluster-ip-range=10.0.0.0/24 --profiling=false \
  --endpoint-reconciler-type=none >"$WORK/apiserver.log" 2>&1 &
PIDS+=($!)

KUBECTL=("$BIN/kubectl" --kubeconfig=/dev/null --server="https://127.0.0.1:$API_PORT"
  --certificate-authority="$WORK/certs/apiserver.crt" --token="$ADMIN_TOKEN" --request-timeout=10s)
wait_for 60 "the apiserver's serving cert" test -s "$WORK/certs/apiserver.crt" ||
  { tail -n 20 "$WORK/apiserver.log" >&2; exit 1; }
wait_for 120 "kube-apiserver /readyz" "${KUBECTL[@]}" get --raw /readyz ||
  { tail -n 30 "$WORK/apiserver.log" >&2; exit 1; }
echo "kube-apiserver ready on https://127.0.0.1:$API_PORT after $((SECONDS - t1))s"

version_is_pinned() {
  local v; v=$("${KUBECTL[@]}" get --raw /version)
  printf '%s\n' "$v"
  grep -q "\"gitVersion\": \"$KUBERNETES_VERSION\"" <<<"$v"
}
readyz_ok() { [[ $("${KUBECTL[@]}" get --raw /readyz) == ok ]] && echo ok; }
token_request() {
  "${KUBECTL[@]}" create serviceaccount smoke -n default >/dev/null
  local tok; tok=$("${KUBECTL[@]}" create token smoke -n default --duration=10m)
  [[ $tok =~ ^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$ ]] || return 1
  printf '%s\n' "$tok" >"$WORK/sa.token"
  echo "JWT of ${#tok} chars for system:serviceaccount:default:smoke"
}
rbac_denies_sa() {
  local out
  out=$("$BIN/kubectl" --kubeconfig=/dev/null --server="https://127.0.0.1:$API_PORT" \
    --certificate-authority="$WORK/certs/apiserver.crt" --token="$(cat "$WORK/sa.token")" \
    get secrets -n default 2>&1) && return 1
  printf '%s\n' "$out"
  grep -q 'Forbidden.*system:serviceaccount:default:smoke' <<<"$out"
}
loopback_only() {
  command -v ss >/dev/null || { echo "ss not installed: skipped"; return 0; }
  local pid listeners bad=0
  for pid in "${PIDS[@]}"; do
    listeners=$(ss -Htlnp | grep "pid=$pid," | awk '{print $4}' | sort -u | tr '\n' ' ')
    echo "pid $pid listens on: $listeners"
    for l in $listeners; do [[ $l == 127.0.0.1:* ]] || bad=1; done
  done
  return $bad
}

check "GET /version reports $KUBERNETES_VERSION" version_is_pinned
check "GET /readyz is ok" readyz_ok
check "TokenRequest signs a service-account token" token_request
check "RBAC forbids the service account to list secrets" rbac_denies_sa
check "etcd and kube-apiserver listen on 127.0.0.1 only" loopback_only

echo "smoke: $PASSED passed, $FAILED failed"
[[ $FAILED == 0 ]]
