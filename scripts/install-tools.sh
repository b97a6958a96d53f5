#!/usr/bin/env bash
# Installs the real programs the tests run against the generated configuration.
#
# 1. Debian packages: the exporters, the databases they scrape, and Debian's older promtool/amtool
#    (the fallback when Go is missing; the tests then rewrite what those old builds cannot read).
# 2. The exact programs lib/images.ts pins, built from the Go modules in tools/ into the ignored
#    .tools/bin/ (see docs/testing.md). Each group of programs is keyed by the Go version and its
#    module files; a finished build is kept in ${XDG_CACHE_HOME:-$HOME/.cache}/vigil-tools/<key>/,
#    outside the checkout, so a fresh clone on the same machine links the binaries in at once.
#    The Go build and module caches persist as usual.
#
# Environment: VIGIL_TOOLS_ONLY="prometheus alertmanager …" builds only those groups;
# VIGIL_SKIP_APT=1 skips the Debian part.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

# ---------------------------------------------------------------------------------------------------
# 1. Debian packages
# ---------------------------------------------------------------------------------------------------
packages=(
  prometheus
  prometheus-alertmanager
  prometheus-node-exporter
  prometheus-postgres-exporter
  prometheus-redis-exporter
  prometheus-blackbox-exporter
  prometheus-mysqld-exporter
  postgresql
  redis-server
  mariadb-server
)
install_debian() {
  local missing=() p
  for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "install-tools: all Debian packages present"
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-tools: need root to install: ${missing[*]}" >&2
    echo "  run: sudo $0" >&2
    return 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # policy-rc.d keeps the packages' services from starting: the tests start what they need themselves.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
  rm -f /usr/sbin/policy-rc.d
  echo "install-tools: installed ${missing[*]}"
}
if [ "${VIGIL_SKIP_APT:-}" != 1 ]; then
  install_debian
fi

# ---------------------------------------------------------------------------------------------------
# 2. The pinned programs, from tools/
# ---------------------------------------------------------------------------------------------------
loud() {
  printf '\n%s\n' '**************************************************************************' >&2
  printf 'install-tools: %s\n' "$@" >&2
  printf '%s\n\n' '**************************************************************************' >&2
}

if ! command -v go >/dev/null 2>&1; then
  loud "Go is not installed: the pinned Prometheus, Alertmanager, collector, Jaeger, Alloy syntax checker," \
    "kube-apiserver, kubectl and etcd are NOT built. The tests fall back to Debian's older tools" \
    "(with compatibility rewrites) and skip the checks that need the pinned programs."
  exit 0
fi

bin="$root/.tools/bin"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/vigil-tools"
logs="$root/.tools/logs"
mkdir -p "$bin" "$cache" "$logs"
# Never let go.mod's go line fetch another toolchain, and never write VCS stamps (the cache key
# already says what was built).
export GOTOOLCHAIN=local
export GOFLAGS="-buildvcs=false -mod=readonly"
goversion=$(go env GOVERSION)

# The groups: the programs each builds (its tools/<group> module's `tool` lines).
declare -A programs=(
  [prometheus]="promtool prometheus"
  [alertmanager]="amtool"
  [otelcol]="otelcol-vigil"
  [alloy-syntax]="alloy-syntax-check"
  [kubernetes]="kube-apiserver kubectl etcd"
  [jaeger]="jaeger"
)
# The Go packages each of those groups builds: the `tool` lines of its go.mod.
declare -A packages_of=(
  # promtool, and the server the end-to-end harness and the series benchmark run (test/e2e/harness,
  # scripts/bench-series.ts). Built without the builtinassets tag: the API works, the web UI is not
  # embedded.
  [prometheus]="github.com/prometheus/prometheus/cmd/promtool github.com/prometheus/prometheus/cmd/prometheus"
  # Only amtool: the Alertmanager server embeds its web UI from ui/app/dist, which is built by npm
  # upstream and is not in the module; the end-to-end harness runs Debian's server.
  [alertmanager]="github.com/prometheus/alertmanager/cmd/amtool"
  [kubernetes]="k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl go.etcd.io/etcd/server/v3"
  [jaeger]="github.com/jaegertracing/jaeger/cmd/jaeger"
)
# Version stamps that upstream's release builds set with -X (.promu.yml's ldflags for the
# Prometheus projects, hack/lib/version.sh for Kubernetes), so `--version` names the pinned release.
declare -A xflags_of=(
  [prometheus]="-X github.com/prometheus/common/version.Version=3.14.0"
  [alertmanager]="-X github.com/prometheus/common/version.Version=0.34.0"
  [kubernetes]="-X k8s.io/component-base/version.gitVersion=v1.37.2 -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=37"
)
groups=(${VIGIL_TOOLS_ONLY:-kubernetes otelcol prometheus alertmanager alloy-syntax jaeger})

key_of() { # Go version + what is built + every file of the group's module directory
  (cd "$root/tools/$1" && { echo "$goversion ${packages_of[$1]:-} ${programs[$1]} ${xflags_of[$1]:-}"; find . -type f | LC_ALL=C sort | xargs sha256sum; } | sha256sum | cut -c1-16)
}

link_in() { # cache dir → .tools/bin (hard link when on the same file system, else a copy)
  local dir=$1 p
  for p in ${programs[$2]}; do
    ln -f "$dir/$p" "$bin/$p" 2>/dev/null || cp -f "$dir/$p" "$bin/$p"
  done
}

build_group() { # builds one group into a temporary dir, then moves it into the cache
  local g=$1 out=$2
  local mod="$root/tools/$g"
  case "$g" in
    prometheus | alertmanager | kubernetes | jaeger)
      # `go build` of the module's tool packages: the build list is the module's go.mod/go.sum.
      (cd "$mod" && go build -trimpath -ldflags="-s -w ${xflags_of[$g]:-}" -o "$out/" ${packages_of[$g]}) || return 1
      # go.etcd.io/etcd/server/v3 builds as `server`
      if [ -f "$out/server" ]; then mv "$out/server" "$out/etcd"; fi
      ;;
    otelcol)
      # ocb generates the distribution's main package and go.mod in a work dir outside the checkout
      # and runs `go build -trimpath -ldflags=-s -w` there (its default).
      local work="$out.work"
      mkdir -p "$work"
      (cd "$mod" && go build -trimpath -ldflags='-s -w' -o "$work/ocb" go.opentelemetry.io/collector/cmd/builder) || return 1
      cp "$mod/manifest.yaml" "$work/manifest.yaml"
      (cd "$work" && GOFLAGS=-buildvcs=false ./ocb --config manifest.yaml) || return 1
      mv "$work/build/otelcol-vigil" "$out/otelcol-vigil" || return 1
      rm -rf "$work"
      ;;
    alloy-syntax)
      (cd "$mod" && go build -trimpath -ldflags='-s -w' -o "$out/alloy-syntax-check" .) || return 1
      ;;
  esac
  local p
  for p in ${programs[$g]}; do
    [ -x "$out/$p" ] || { echo "install-tools: $g did not produce $p" >&2; return 1; }
  done
}

install_group() {
  local g=$1 key dir start
  key="$g-$(key_of "$g")"
  dir="$cache/$key"
  if [ -f "$bin/.$g.key" ] && [ "$(cat "$bin/.$g.key")" = "$key" ] && [ -f "$dir/.complete" ]; then
    echo "install-tools: $g is up to date ($key)"
    return 0
  fi
  if [ -f "$dir/.complete" ]; then
    link_in "$dir" "$g"
    echo "$key" > "$bin/.$g.key"
    echo "install-tools: $g reused from the cache ($key)"
    return 0
  fi
  start=$(date +%s)
  echo "install-tools: building $g (${programs[$g]}) — log in .tools/logs/$g.log"
  local tmp="$cache/.tmp-$key-$$"
  rm -rf "$tmp" && mkdir -p "$tmp"
  if ! build_group "$g" "$tmp" > "$logs/$g.log" 2>&1; then
    rm -rf "$tmp" "$tmp.work"
    echo "install-tools: FAILED to build $g after $(($(date +%s) - start)) s; last lines of its log:" >&2
    tail -20 "$logs/$g.log" >&2
    return 1
  fi
  touch "$tmp/.complete"
  rm -rf "$dir" && mv "$tmp" "$dir"
  link_in "$dir" "$g"
  echo "$key" > "$bin/.$g.key"
  echo "install-tools: built $g in $(($(date +%s) - start)) s ($key)"
}

# Two lanes for two cores, of about equal length when cold (see docs/testing.md): Kubernetes and the
# collector beside Prometheus, Alertmanager, the Alloy checker and Jaeger. Each `go build` already
# compiles packages in parallel; the lanes overlap the single-threaded link steps and the module
# downloads.
overall=$(date +%s)
lane_a=() lane_b=()
for g in "${groups[@]}"; do
  case "$g" in kubernetes | otelcol) lane_a+=("$g") ;; *) lane_b+=("$g") ;; esac
done
run_lane() { local g rc=0; for g in "$@"; do install_group "$g" || rc=1; done; return $rc; }
run_lane "${lane_a[@]}" & pid_a=$!
run_lane "${lane_b[@]}" & pid_b=$!
failed=0
wait $pid_a || failed=1
wait $pid_b || failed=1
if [ -z "${VIGIL_TOOLS_ONLY:-}" ]; then
  # A program no group builds any more (a list changed) must not linger and be taken for a pinned one.
  for f in "$bin"/*; do
    [ -e "$f" ] || continue
    case " ${programs[*]} " in *" $(basename "$f") "*) ;; *) rm -f "$f" ;; esac
  done
fi
echo "install-tools: pinned programs ready in $(($(date +%s) - overall)) s: $(cd "$bin" && ls | tr '\n' ' ')"
if [ $failed -ne 0 ]; then
  loud "some pinned programs failed to build (see above); the tests that need them fail under CI=true."
  exit 1
fi
