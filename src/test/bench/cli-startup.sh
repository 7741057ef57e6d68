#!/bin/sh
# CLI start-up benchmark: median wall time of `orchctl version` and `orchctl get apps` over N runs
# (default 20), against a running orchd on a scratch state dir. Uses the packaged target/orch/ (build it
# first: mvn -B -q package -DskipTests). Prints one line per command; docs/benchmarks.md records results.
set -eu
cd "$(dirname "$0")/../../.."
runs=${1:-20}
dist=$PWD/target/orch
[ -x "$dist/bin/orchctl" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
state=$(mktemp -d)
export ORCH_STATE_DIR="$state"
ORCH_JAVA_OPTS="-Dquarkus.management.port=0" "$dist/bin/orchd" > "$state/orchd.log" 2>&1 &
daemon=$!
trap 'kill $daemon 2>/dev/null; wait $daemon 2>/dev/null; rm -rf "$state"' EXIT
i=0
while [ ! -S "$state/orchd.sock" ]; do
    i=$((i + 1)); [ $i -lt 300 ] || { cat "$state/orchd.log"; exit 1; }
    sleep 0.1
done

median_ms() { # runs "$@" $runs times (after 2 warm-ups), prints the median wall time in ms
    "$@" >/dev/null 2>&1; "$@" >/dev/null 2>&1
    n=0
    : > "$state/times"
    while [ $n -lt "$runs" ]; do
        t0=$(date +%s%N)
        "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
        t1=$(date +%s%N)
        echo $(( (t1 - t0) / 1000000 )) >> "$state/times"
        n=$((n + 1))
    done
    sort -n "$state/times" | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'
}

java=$(cat "$dist/lib/java-home" 2>/dev/null || .ci/java-home)/bin/java
echo "JDK: $("$java" -version 2>&1 | head -1); AOT cache: $([ -f "$dist/lib/app.aot" ] && echo yes || echo no); runs: $runs"
echo "orchctl version       median $(median_ms "$dist/bin/orchctl" version) ms"
echo "orchctl get apps      median $(median_ms "$dist/bin/orchctl" get apps) ms"
echo "orchctl version (no AOT cache, same JDK) median $(ORCH_JAVA="$java" median_ms "$dist/bin/orchctl" version) ms"
