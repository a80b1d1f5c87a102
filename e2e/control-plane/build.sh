#!/usr/bin/env bash
# Builds the real Kubernetes control plane used by the e2e suite from Go modules only
# (no release downloads, no Docker):
#   kube-apiserver, kubectl  from k8s.io/kubernetes            (modules/kubernetes)
#   etcd                     from go.etcd.io/etcd/server/v3     (modules/etcd)
#   helm                     from helm.sh/helm/v4/cmd/helm      (modules/helm)
# Versions: versions.env. Each modules/<name> is a throwaway Go module whose go.mod and go.sum
# are committed, so a build needs neither the checksum database nor a version query.
#
# Output (outside the repo, keyed by version; a second run is a no-op):
#   ${CROSSWIND_CACHE_DIR:-$HOME/.cache/crosswind}/control-plane/k8s/<k8s version without v>-<os>-<arch>/{etcd,kube-apiserver,kubectl}
#     (the layout io.fabric8:kube-api-test expects for offline binaries; there `etcd` is a small
#     wrapper that keeps etcd on 127.0.0.1 and execs the real binary etcd.bin)
#   ${CROSSWIND_CACHE_DIR:-$HOME/.cache/crosswind}/control-plane/helm/<helm version>/helm
# Progress and timings go to stderr. The last line on stdout is the k8s binary directory
# (or, with --helm-path, the helm binary), so callers can do: BIN_DIR=$(e2e/control-plane/build.sh)
#
# Usage: build.sh [--force] [--helm-path] [--no-helm] | --update-modules | --help
#   --force           rebuild even when the stamps say up to date
#   --helm-path       print the helm binary path (instead of the k8s binary directory) on stdout
#   --no-helm         do not build helm
#   --update-modules  regenerate modules/*/go.mod and go.sum from versions.env (needs the module
#                     proxy and the checksum database); commit the result. Builds nothing.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MODULES=$HERE/modules

log() { printf '[control-plane] %s\n' "$*" >&2; }
die() { printf '[control-plane] ERROR: %s\n' "$*" >&2; exit 1; }

FORCE=0 PRINT_HELM=0 NO_HELM=0 UPDATE=0
for arg in "$@"; do
  case $arg in
    --force) FORCE=1 ;;
    --helm-path) PRINT_HELM=1 ;;
    --no-helm) NO_HELM=1 ;;
    --update-modules) UPDATE=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 0 ;;
    *) die "unknown argument: $arg (see --help)" ;;
  esac
done
[[ $PRINT_HELM == 1 && $NO_HELM == 1 ]] && die "--helm-path and --no-helm exclude each other"

command -v go >/dev/null 2>&1 ||
  die "'go' is not on PATH. Install Go (at least the 'go' line of $MODULES/*/go.mod) and retry."

# shellcheck source=versions.env
source "$HERE/versions.env"
: "${KUBERNETES_VERSION:?missing in versions.env}" "${ETCD_VERSION:?missing in versions.env}" "${HELM_VERSION:?missing in versions.env}"
[[ $KUBERNETES_VERSION =~ ^v1\.([0-9]+)\.([0-9]+)$ ]] || die "KUBERNETES_VERSION must look like v1.X.Y, got '$KUBERNETES_VERSION'"
K8S_MINOR=${BASH_REMATCH[1]}
STAGING_VERSION=v0.${KUBERNETES_VERSION#v1.}   # k8s.io/<staging> modules are tagged v0.<minor>.<patch>

proxy_hint() {
  printf 'Is the Go module proxy reachable? (GOPROXY=%s, GOFLAGS=%s). With a warm module cache (%s) no network is needed.' \
    "$(go env GOPROXY)" "$(go env GOFLAGS)" "$(go env GOMODCACHE)"
}

# ---------------------------------------------------------------------------------------------
# go.mod helpers
# Prints the entries of a go.mod directive (single-line and block form), comments stripped.
directive_entries() { # file keyword
  awk -v kw="$2" '
    { sub(/[ \t]*\/\/.*$/, "") }
    inb && /^[ \t]*\)/ { inb = 0; next }
    inb { sub(/^[ \t]+/, ""); if ($0 != "") print; next }
    $1 == kw && $2 == "(" { inb = 1; next }
    $1 == kw { sub("^" kw "[ \t]+", ""); print }
  ' "$1"
}
# Version with which go.mod file $1 requires module $2 (empty when not required).
required_version() {
  directive_entries "$1" require | awk -v p="$2" '$1 == p { print $2; exit }'
}
# Path of the go.mod of module@version in the module cache (downloads it when missing).
upstream_gomod() {
  local out
  out=$(go mod download -json "$1" 2>&1) || die "cannot fetch $1: $(printf '%s' "$out" | grep -m1 -E 'Error|go:' || true). $(proxy_hint)"
  printf '%s\n' "$out" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p'
}
# Release time of module@version (for buildDate: reproducible, and the same on every machine).
release_time() {
  go list -m -f '{{if .Time}}{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}{{end}}' "$1" 2>/dev/null || true
}

# ---------------------------------------------------------------------------------------------
# --update-modules: generate a throwaway module that requires $req@$ver, mirrors the upstream
# go.mod's go/godebug lines and replace directives (local "=> ./x" or "=> ../x" replaces become
# "=> <same module path> $localver"), declares the commands as tools, then runs go mod tidy.
write_module() { # name req ver localver tool...
  local name=$1 req=$2 ver=$3 localver=$4; shift 4
  local dir=$MODULES/$name up goline old new newver args=()
  up=$(upstream_gomod "$req@$ver")
  [[ -f $up ]] || die "no go.mod found for $req@$ver"
  goline=$(awk '$1 == "go" { print $2; exit }' "$up")
  mkdir -p "$dir"
  rm -f "$dir/go.mod" "$dir/go.sum"
  cat >"$dir/go.mod" <<EOF
// Generated by e2e/control-plane/build.sh --update-modules from versions.env ($req $ver).
// Do not edit by hand: change versions.env and regenerate. Only used to build the binaries.
module crosswind.local/e2e/control-plane/$name

go $goline
EOF
  args+=("-require=$req@$ver")
  while read -r entry; do args+=("-godebug=$entry"); done < <(directive_entries "$up" godebug)
  local nlocal=0
  # normalise "old [oldver] => new [newver]" to "old new [newver]"
  while read -r old new newver; do
    [[ -z $old ]] && continue
    if [[ $new == ./* || $new == ../* ]]; then
      args+=("-replace=$old=$old@$localver"); nlocal=$((nlocal + 1))
    elif [[ -n $newver ]]; then
      args+=("-replace=$old=$new@$newver")
    else
      die "cannot mirror replace '$old => $new' of $req@$ver"
    fi
  done < <(directive_entries "$up" replace | awk '{ for (i = 1; i <= NF; i++) if ($i == "=>") { print $1, $(i+1), $(i+2); break } }')
  local t; for t in "$@"; do args+=("-tool=$t"); done
  (cd "$dir" && go mod edit "${args[@]}") || die "go mod edit failed for $name"
  log "$name: $req $ver, go $goline, $nlocal local replace(s) pinned to $localver; running go mod tidy ..."
  (cd "$dir" && go mod tidy) || die "go mod tidy failed in $dir. $(proxy_hint)"
  log "$name: wrote $dir/go.mod and go.sum ($(grep -c . "$dir/go.sum") sums)"
}

if [[ $UPDATE == 1 ]]; then
  write_module kubernetes k8s.io/kubernetes "$KUBERNETES_VERSION" "$STAGING_VERSION" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl
  kgomod=$(upstream_gomod "k8s.io/kubernetes@$KUBERNETES_VERSION")
  etcd_client=$(required_version "$kgomod" go.etcd.io/etcd/client/v3)
  [[ $etcd_client == "$ETCD_VERSION" ]] ||
    log "NOTE: k8s.io/kubernetes $KUBERNETES_VERSION uses go.etcd.io/etcd/client/v3 $etcd_client, versions.env has ETCD_VERSION=$ETCD_VERSION"
  write_module etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION" "$ETCD_VERSION" go.etcd.io/etcd/server/v3
  write_module helm helm.sh/helm/v4 "$HELM_VERSION" "$HELM_VERSION" helm.sh/helm/v4/cmd/helm
  log "modules regenerated; review and commit $MODULES/*/go.mod and go.sum"
  exit 0
fi

# The committed modules must match versions.env.
check_module() { # name req ver
  local have
  [[ -f $MODULES/$1/go.mod && -f $MODULES/$1/go.sum ]] || die "$MODULES/$1/go.mod or go.sum is missing: run $0 --update-modules"
  have=$(required_version "$MODULES/$1/go.mod" "$2")
  [[ $have == "$3" ]] ||
    die "$MODULES/$1/go.mod requires $2 ${have:-<nothing>} but versions.env says $3: run $0 --update-modules and commit the result"
}
check_module kubernetes k8s.io/kubernetes "$KUBERNETES_VERSION"
check_module etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION"
[[ $NO_HELM == 1 ]] || check_module helm helm.sh/helm/v4 "$HELM_VERSION"

# ---------------------------------------------------------------------------------------------
GOOS_=$(go env GOOS) GOARCH_=$(go env GOARCH)
CACHE_ROOT=${CROSSWIND_CACHE_DIR:-$HOME/.cache/crosswind}/control-plane
K8S_DIR=$CACHE_ROOT/k8s/${KUBERNETES_VERSION#v}-$GOOS_-$GOARCH_
HELM_DIR=$CACHE_ROOT/helm/$HELM_VERSION
mkdir -p "$K8S_DIR" "$CACHE_ROOT"
[[ $NO_HELM == 1 ]] || mkdir -p "$HELM_DIR"

# One build at a time per cache (a second caller waits, then finds everything up to date).
exec 9>"$CACHE_ROOT/.build.lock"
if ! flock -n 9; then
  log "another build.sh is running on $CACHE_ROOT; waiting for it ..."
  flock 9
fi

# Gentle on a small shared machine: lowest CPU priority, one package compiled at a time.
GO_BUILD_FLAGS=(-p 1 -mod=readonly -trimpath)
SUMMARY=()
FETCHED=()

# Downloads what $dir's packages need (timed apart from compiling). Fails clearly when offline.
fetch_modules() { # dir label pkg...
  local dir=$1 label=$2; shift 2
  [[ " ${FETCHED[*]-} " == *" $dir "* ]] && return 0
  local t0=$SECONDS out
  log "$label: resolving and downloading Go modules (a no-op when the module cache is warm) ..."
  if ! out=$(cd "$dir" && GOFLAGS="${GOFLAGS:-} -mod=readonly" nice -n 19 go list -deps -e=false -f '' "$@" 2>&1); then
    printf '%s\n' "$out" | tail -n 15 >&2
    die "could not download the Go modules for $label. $(proxy_hint)"
  fi
  FETCHED+=("$dir")
  log "$label: modules ready in $((SECONDS - t0))s"
  SUMMARY+=("$(printf '%-16s %-10s %5ss' "$label-modules" fetched $((SECONDS - t0)))")
}

build_one() { # name outdir moddir pkg ldflags [file name, default: name]
  local name=$1 outdir=$2 dir=$3 pkg=$4 ldflags=$5
  local out=$outdir/${6:-$name} stamp=$outdir/.stamps/$name key
  key=$( { printf '%s\n' "$name" "$pkg" "$ldflags" "${GO_BUILD_FLAGS[*]}" "$GOOS_/$GOARCH_"; cat "$dir/go.mod" "$dir/go.sum"; } | sha256sum | cut -d' ' -f1)
  if [[ $FORCE == 0 && -x $out && -f $stamp && "$(head -n1 "$stamp")" == "$key" ]]; then
    log "$name: up to date ($out)"
    SUMMARY+=("$(printf '%-16s %-10s %5ss' "$name" cached 0)")
    return 0
  fi
  fetch_modules "$dir" "$(basename "$dir")" "$pkg"
  log "$name: building $pkg (nice -n 19, -p 1) ..."
  local t0=$SECONDS tmp=$out.tmp.$$
  if ! (cd "$dir" && CGO_ENABLED=0 nice -n 19 go build "${GO_BUILD_FLAGS[@]}" -ldflags "$ldflags" -o "$tmp" "$pkg"); then
    rm -f "$tmp"
    die "building $name failed (see the go output above)"
  fi
  mkdir -p "$outdir/.stamps"
  mv -f "$tmp" "$out"
  printf '%s\n%s\n' "$key" "$name from $pkg, built $(date -u +%Y-%m-%dT%H:%M:%SZ) with $(go env GOVERSION) in $((SECONDS - t0))s" >"$stamp"
  log "$name: built in $((SECONDS - t0))s -> $out"
  SUMMARY+=("$(printf '%-16s %-10s %5ss' "$name" built $((SECONDS - t0)))")
}

# <dir>/etcd is a small wrapper around the real binary <dir>/etcd.bin that rewrites the hosts
# 0.0.0.0, localhost and [::] in its arguments to 127.0.0.1: io.fabric8:kube-api-test starts etcd
# with --listen-client-urls http://0.0.0.0:<port> and has no setting to change that, and this
# workplace keeps every listener on loopback. It execs, so the harness's pid is etcd's own.
install_etcd_loopback_wrapper() { # dir
  local want tmp
  want=$(cat <<'WRAPPER'
#!/usr/bin/env bash
# Written by crosswind e2e/control-plane/build.sh: runs etcd.bin (beside this file) with the hosts
# 0.0.0.0, localhost and [::] in its arguments replaced by 127.0.0.1, so etcd listens on loopback
# only, whatever URLs its caller passes (io.fabric8:kube-api-test passes http://0.0.0.0:<port>).
args=()
for a in "$@"; do
  a=${a//:\/\/0.0.0.0:/:\/\/127.0.0.1:}
  a=${a//:\/\/localhost:/:\/\/127.0.0.1:}
  a=${a//:\/\/\[::\]:/:\/\/127.0.0.1:}
  args+=("$a")
done
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/etcd.bin" "${args[@]}"
WRAPPER
)
  tmp=$1/etcd.tmp.$$
  printf '%s\n' "$want" >"$tmp"
  chmod 755 "$tmp"
  if [[ -x $1/etcd ]] && cmp -s "$tmp" "$1/etcd"; then
    rm -f "$tmp"
  else
    mv -f "$tmp" "$1/etcd"
    log "etcd: wrote loopback wrapper $1/etcd (real binary: etcd.bin)"
  fi
}

# kube-apiserver and kubectl: stamp the version like hack/lib/version.sh does, so /version and
# `kubectl version` report the release instead of v0.0.0-master.
KDIR=$MODULES/kubernetes
K8S_BUILD_DATE=$(cd "$KDIR" && release_time "k8s.io/kubernetes@$KUBERNETES_VERSION")
K8S_BUILD_DATE=${K8S_BUILD_DATE:-1970-01-01T00:00:00Z}
k8s_ldflags="-s -w"
for kv in "gitVersion=$KUBERNETES_VERSION" gitMajor=1 "gitMinor=$K8S_MINOR" \
          "gitCommit=${KUBERNETES_GIT_COMMIT:-}" gitTreeState=clean "buildDate=$K8S_BUILD_DATE"; do
  k8s_ldflags+=" -X k8s.io/component-base/version.$kv -X k8s.io/client-go/pkg/version.$kv"
done

total0=$SECONDS
build_one kube-apiserver "$K8S_DIR" "$KDIR" k8s.io/kubernetes/cmd/kube-apiserver "$k8s_ldflags"
build_one kubectl "$K8S_DIR" "$KDIR" k8s.io/kubernetes/cmd/kubectl "$k8s_ldflags"
build_one etcd "$K8S_DIR" "$MODULES/etcd" go.etcd.io/etcd/server/v3 "-s -w" etcd.bin
install_etcd_loopback_wrapper "$K8S_DIR"
if [[ $NO_HELM == 0 ]]; then
  build_one helm "$HELM_DIR" "$MODULES/helm" helm.sh/helm/v4/cmd/helm \
    "-s -w -X helm.sh/helm/v4/internal/version.version=$HELM_VERSION -X helm.sh/helm/v4/internal/version.metadata= -X helm.sh/helm/v4/internal/version.gitTreeState=clean"
fi

log "summary (kubernetes $KUBERNETES_VERSION, etcd $ETCD_VERSION, helm $HELM_VERSION; total $((SECONDS - total0))s):"
for line in "${SUMMARY[@]}"; do log "  $line"; done
[[ $NO_HELM == 1 ]] || log "helm: $HELM_DIR/helm"
log "binaries: $K8S_DIR"
if [[ $PRINT_HELM == 1 ]]; then
  echo "$HELM_DIR/helm"
else
  echo "$K8S_DIR"
fi
