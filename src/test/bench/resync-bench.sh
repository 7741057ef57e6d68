#!/bin/sh
# Control-loop benchmark: a no-change resync of N apps (default 1000) of running processes (process driver,
# or units of a real systemd in a private namespace: second argument systemd, as root), observe + plan, against a real
# state directory. Prints the median of 7 passes. Build first: mvn -B -q test-compile
set -eu
cd "$(dirname "$0")/../../.."
JAVA_HOME=${JAVA_HOME:-$(.ci/java-home)}
cp=$(mvn -B -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)
exec "$JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:$cp" dev.orch.reconcile.ResyncBench "${1:-1000}" "${2:-process}"
