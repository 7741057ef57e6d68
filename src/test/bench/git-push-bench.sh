#!/bin/sh
# Push-to-serve benchmark: a bare repository on this host with orch's post-receive hook (systemd/post-receive),
# a throw-away orchd (process driver, scratch state dir) deploying from it, and the hello example as app
# "bench". Each round changes the app's version in the manifest, commits and runs `git push` (which returns
# after the hook's `orchctl sync`), then polls the route until the new version answers. Prints per round the
# push time and the time from push returned to new version serving, then the medians over N rounds (default 10,
# after one warm-up). Build first: mvn -B -q package -DskipTests. docs/benchmarks.md records results.
#   READINESS=probe (default: httpGet /healthz every 1 s) or none (ready as soon as the process runs)
set -eu
cd "$(dirname "$0")/../../.."
rounds=${1:-10}
readiness=${READINESS:-probe}
dist=$PWD/target/orch
[ -x "$dist/bin/orchctl" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
command -v git > /dev/null && command -v curl > /dev/null || { echo "needs git and curl" >&2; exit 1; }
tmp=$(mktemp -d)
state=$tmp/state
export ORCH_STATE_DIR="$state" ORCHCTL="$dist/bin/orchctl"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cp manifests/hello/hello.py "$tmp/hello.py"

git init -q --bare -b main "$tmp/apps.git"
install -m 0755 systemd/post-receive "$tmp/apps.git/hooks/post-receive"
git clone -q "$tmp/apps.git" "$tmp/work" 2> /dev/null
git -C "$tmp/work" config user.name bench
git -C "$tmp/work" config user.email bench@example.com
mkdir -p "$tmp/work/apps"

manifest() { # $1 = version
    probe=""
    [ "$readiness" = none ] || probe="    readinessProbe: {httpGet: {path: /healthz}, periodSeconds: 1, failureThreshold: 1}"
    cat > "$tmp/work/apps/bench.yaml" <<YAML
apiVersion: orch.dev/v1
kind: Deployment
metadata:
  name: bench
spec:
  route: {port: $port, bindAddress: 127.0.0.1, drainTimeoutSeconds: 1}
  template:
    command: ["/usr/bin/python3"]
    args: ["\$(ARTIFACT)", "--port", "\$(PORT)"]
    artifact: {path: $tmp/hello.py}
    env: [{name: HELLO_VERSION, value: "$1"}]
$probe
    terminationGracePeriodSeconds: 2
  strategy: {blueGreen: {keepWarmSeconds: 1}}
YAML
}

ORCH_DRIVER=process ORCH_GIT_REPOS_APPS_URL="file://$tmp/apps.git" ORCH_GIT_REPOS_APPS_PATH=apps ORCH_GIT_REPOS_APPS_POLL=1h \
    ORCH_JAVA_OPTS="-Dquarkus.management.port=0" "$dist/bin/orchd" > "$tmp/orchd.log" 2>&1 &
daemon=$!
cleanup() {
    "$dist/bin/orchctl" delete app bench > /dev/null 2>&1 || true
    i=0
    while [ -d "$state/apps/bench" ] && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.1; done
    kill $daemon 2> /dev/null || true
    wait $daemon 2> /dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
i=0
while [ ! -S "$state/orchd.sock" ]; do
    i=$((i + 1)); [ $i -lt 300 ] || { cat "$tmp/orchd.log"; exit 1; }
    sleep 0.1
done

ms() { echo $(( $(date +%s%N) / 1000000 )); }
push_round() { # $1 = version; prints "push_ms serve_ms"
    manifest "$1"
    git -C "$tmp/work" add -A
    git -C "$tmp/work" commit -q -m "bench $1"
    t0=$(ms)
    git -C "$tmp/work" push -q origin main > "$tmp/push.log" 2>&1
    t1=$(ms)
    n=0
    until curl -s --max-time 2 "http://127.0.0.1:$port/" 2> /dev/null | grep -q "\"version\": \"$1\""; do
        n=$((n + 1))
        [ $n -lt 6000 ] || { echo "version $1 never served" >&2; cat "$tmp/push.log" >&2; tail -20 "$tmp/orchd.log" >&2; exit 1; }
        sleep 0.005
    done
    t2=$(ms)
    echo "$((t1 - t0)) $((t2 - t1))"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "readiness: $readiness; rounds: $rounds (+1 warm-up); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
push_round warmup > /dev/null
sleep 2
: > "$tmp/times"
r=1
while [ $r -le "$rounds" ]; do
    set -- $(push_round "v$r")
    echo "round $r: git push ${1} ms, then new version serving after ${2} ms (total $(( $1 + $2 )) ms)"
    echo "$1 $2 $(( $1 + $2 ))" >> "$tmp/times"
    r=$((r + 1))
    sleep 1.5 # let the old color's keep-warm end, as between real pushes
done
echo "median git push (incl. post-receive sync): $(cut -d' ' -f1 "$tmp/times" | median) ms"
echo "median push returned -> new version serving: $(cut -d' ' -f2 "$tmp/times" | median) ms"
echo "median total: $(cut -d' ' -f3 "$tmp/times" | median) ms"
