#!/usr/bin/env bash
# The local demo: builds what it needs, starts a real kube-apiserver and etcd on 127.0.0.1, installs
# the CRDs, starts the operator, applies examples/ and prints what a user would look at, then
# keeps everything running until Ctrl-C. Needs a JDK 21+ and Go (like ./mvnw verify).
set -euo pipefail
cd "$(dirname "$0")/.."
source e2e/lib/select-jdk.sh
echo "Building Crosswind (./mvnw -DskipTests install) ..." >&2
./mvnw --quiet --batch-mode -DskipTests install
echo "Building or reusing the control plane (e2e/control-plane/build.sh) ..." >&2
e2e/control-plane/build.sh --no-helm >/dev/null
exec ./mvnw --quiet --batch-mode -pl tools exec:exec@demo
