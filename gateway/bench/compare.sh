#!/usr/bin/env bash
# The gateway side by side with the LiteLLM proxy and the Portkey gateway, in one run on this
# machine (docs/benchmarks.md): the cloud simulators standalone, an Azure OpenAI deployment and a
# Bedrock API key made through their APIs, the Crosswind gateway jar with a route table for Bedrock
# (first) and Azure (second), LiteLLM from PyPI in a throwaway virtual environment and Portkey's
# open-source gateway from npm, both under the work directory in /tmp and configured for the same
# two upstreams with a fallback; then the same load direct and through each, and the same load
# again while the Bedrock runtime is cut. Everything listens on 127.0.0.1 only.
#
#   gateway/bench/compare.sh            # builds the jars first (./mvnw ... package)
#   SKIP_BUILD=1 gateway/bench/compare.sh
#   MODE=soak gateway/bench/compare.sh  # the Crosswind gateway alone under steady load for
#                                       # SOAK_MINUTES (30), its primary cut in the middle
#
# Settings (environment): LITELLM_VERSION, LITELLM_WORKERS (LiteLLM instances by worker count,
# default "1 2"), PORTKEY_VERSION (either version "none" leaves that peer out), MVNW_ARGS (e.g.
# -o), KEEP_WORK=1 keeps the work directory, REPORT (where the tables go;
# /tmp/crosswind-compare-report.md), BENCH_JAVA_OPTS (e.g. -Dbench.requests=8000; see
# GatewayComparison).
set -euo pipefail

LITELLM_VERSION="${LITELLM_VERSION:-1.110.2}"
LITELLM_WORKERS="${LITELLM_WORKERS:-1 2}"
PORTKEY_VERSION="${PORTKEY_VERSION:-1.15.2}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
WORK="$(mktemp -d /tmp/crosswind-compare.XXXXXX)"
REPORT="${REPORT:-/tmp/crosswind-compare-report.md}"
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  [[ "${KEEP_WORK:-}" == 1 ]] || rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits up to $2 seconds for $1 to answer 200.
await_ok() {
  for _ in $(seq $(($2 * 10))); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" == 200 ]] && return 0
    sleep 0.1
  done
  return 1
}

cd "$ROOT"
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  # shellcheck disable=SC2086
  ./mvnw -q ${MVNW_ARGS:-} -pl tools -am -DskipTests package
fi
CP="tools/target/classes:tools/target/lib/*"

echo "== $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $("$JAVA" -version 2>&1 | head -1)"
echo "== work directory $WORK"

ADMIN_PORT="$(free_port)"
"$JAVA" -jar simulators/target/crosswind-simulators.jar --resource-group rg-bench \
  --admin-port "$ADMIN_PORT" --ca-file "$WORK/ca.pem" --operation-time 0 \
  >"$WORK/simulators.log" 2>&1 &
PIDS+=($!)
ADMIN="http://127.0.0.1:$ADMIN_PORT/admin"
await_ok "$ADMIN/endpoints" 60 || { cat "$WORK/simulators.log"; exit 1; }
"$JAVA" -cp "$CP" io.crosswind.tools.GatewayComparison setup "$ADMIN" "$WORK"

GW_PORT="$(free_port)"
GW_OPS_PORT="$(free_port)"
"$JAVA" -jar gateway/target/crosswind-gateway.jar --routes-dir "$WORK/routes" \
  --upstream-ca-file "$WORK/ca.pem" --address 127.0.0.1 --port "$GW_PORT" \
  --ops-address 127.0.0.1 --ops-port "$GW_OPS_PORT" >"$WORK/crosswind.log" 2>&1 &
GW_PID=$!
PIDS+=("$GW_PID")
await_ok "http://127.0.0.1:$GW_OPS_PORT/readyz" 60 || { cat "$WORK/crosswind.log"; exit 1; }
PROXIES=("crosswind=http://127.0.0.1:$GW_PORT@$GW_PID")

if [[ "${MODE:-}" == soak ]]; then
  # shellcheck disable=SC2086
  "$JAVA" ${BENCH_JAVA_OPTS:-} -cp "$CP" io.crosswind.tools.GatewayComparison soak "$WORK" \
    "$ADMIN" "${PROXIES[0]}" "${SOAK_MINUTES:-30}" | tee "$REPORT"
  exit 0
fi

# LiteLLM from PyPI, never into the repository. litellm[proxy] 1.110.x requires litellm-proxy at
# the same version, which the registry reachable here does not serve (and pins litellm-enterprise
# and litellm-proxy-extras newer than it serves); the proxy's code ships in the litellm wheel
# itself, so when the extra cannot be resolved the script installs the extra's other
# requirements as they are, with those two unpinned.
install_litellm() {
  python3 -m venv "$WORK/venv"
  "$WORK/venv/bin/pip" install -q --disable-pip-version-check "litellm[proxy]==$LITELLM_VERSION" \
    >"$WORK/pip.log" 2>&1 && return 0
  echo "== litellm[proxy]==$LITELLM_VERSION does not resolve here:"
  grep -m2 ERROR "$WORK/pip.log" || true
  "$WORK/venv/bin/pip" install -q --disable-pip-version-check "litellm==$LITELLM_VERSION" &&
    "$WORK/venv/bin/python" - >"$WORK/proxy-requirements.txt" <<'EOF' &&
from importlib.metadata import requires
from packaging.requirements import Requirement
for line in requires("litellm"):
    req = Requirement(line)
    if req.marker is None or not req.marker.evaluate({"extra": "proxy"}) \
            or req.marker.evaluate({"extra": ""}):
        continue  # not the proxy extra's, or not for this Python
    if req.name == "litellm-proxy":
        continue
    if req.name in ("litellm-enterprise", "litellm-proxy-extras"):
        req.specifier = type(req.specifier)()
    req.marker = None
    print(req)
EOF
    "$WORK/venv/bin/pip" install -q --disable-pip-version-check -r "$WORK/proxy-requirements.txt"
}
if [[ "$LITELLM_VERSION" == none ]]; then
  echo "== LiteLLM left out"
elif install_litellm; then
  echo "== $("$WORK/venv/bin/pip" list 2>/dev/null | grep -E '^(litellm|uvicorn|uvloop) ' | tr -s ' ' | paste -sd, -)"
  for workers in $LITELLM_WORKERS; do
    port="$(free_port)"
    # SSL_CERT_FILE and REQUESTS_CA_BUNDLE trust the simulators' CA; the local model cost map
    # keeps LiteLLM from fetching it from the internet at start-up.
    (cd "$WORK" && exec env SSL_CERT_FILE="$WORK/ca.pem" REQUESTS_CA_BUNDLE="$WORK/ca.pem" \
      LITELLM_LOCAL_MODEL_COST_MAP=True "$WORK/venv/bin/litellm" --config "$WORK/litellm.yaml" \
      --host 127.0.0.1 --port "$port" --num_workers "$workers" \
      >"$WORK/litellm-${workers}w.log" 2>&1) &
    pid=$!
    PIDS+=("$pid")
    if await_ok "http://127.0.0.1:$port/health/liveliness" 180; then
      PROXIES+=("litellm-${workers}w=http://127.0.0.1:$port@$pid")
    else
      echo "== LiteLLM with $workers worker(s) did not start:"
      tail -20 "$WORK/litellm-${workers}w.log"
    fi
  done
else
  echo "== LiteLLM could not be installed; Crosswind only. pip said:"
  tail -20 "$WORK/pip.log"
fi

# Portkey's gateway from npm: one Node process. It listens on every address and has no option to
# say otherwise, so a preloaded module gives its listen call the loopback address; the simulators'
# CA is trusted through NODE_EXTRA_CA_CERTS. Its routing comes with each request (portkey.json,
# written by setup, in the x-portkey-config header).
if [[ "$PORTKEY_VERSION" != none ]]; then
  mkdir -p "$WORK/portkey"
  if (cd "$WORK/portkey" && npm install --silent --no-audit --no-fund \
    "@portkey-ai/gateway@$PORTKEY_VERSION" >"$WORK/npm.log" 2>&1); then
    cat >"$WORK/portkey/loopback.mjs" <<'EOF'
import net from "node:net";
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (port, host, ...rest) {
  if (typeof port === "number" && typeof host !== "string") {
    return listen.call(this, port, "127.0.0.1", ...(host === undefined ? rest : [host, ...rest]));
  }
  return listen.call(this, port, host, ...rest);
};
EOF
    port="$(free_port)"
    (cd "$WORK/portkey" && exec env NODE_ENV=production NODE_EXTRA_CA_CERTS="$WORK/ca.pem" \
      node --import ./loopback.mjs node_modules/@portkey-ai/gateway/build/start-server.js \
      --port="$port" --headless >"$WORK/portkey.log" 2>&1) &
    pid=$!
    PIDS+=("$pid")
    if await_ok "http://127.0.0.1:$port/" 60; then
      echo "== @portkey-ai/gateway $PORTKEY_VERSION, node $(node --version)"
      PROXIES+=("portkey=http://127.0.0.1:$port@$pid")
    else
      echo "== Portkey did not start:"
      tail -20 "$WORK/portkey.log"
    fi
  else
    echo "== @portkey-ai/gateway@$PORTKEY_VERSION could not be installed; npm said:"
    tail -20 "$WORK/npm.log"
  fi
fi

# shellcheck disable=SC2086
"$JAVA" ${BENCH_JAVA_OPTS:-} -cp "$CP" io.crosswind.tools.GatewayComparison run "$WORK" \
  "$ADMIN" "${PROXIES[@]}" | tee "$REPORT"

# The same request with wrk, when it is installed (apt-get install wrk): its client costs far less
# CPU than the JDK's, so the figures say more about the proxies on a 2-core machine.
if command -v wrk >/dev/null; then
  echo
  # shellcheck disable=SC2086
  "$JAVA" ${BENCH_JAVA_OPTS:-} -cp "$CP" io.crosswind.tools.GatewayComparison wrk "$WORK" \
    "${PROXIES[@]}" | tee -a "$REPORT"
else
  echo "== wrk is not installed; its table is left out"
fi
