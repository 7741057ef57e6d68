#!/usr/bin/env bash
# Route benchmark: the same nginx backend reached directly, through orch's route and through nginx as a
# keep-alive reverse proxy, measured with wrk in one run. Not part of the test suite.
#
#   src/test/bench/route-bench.sh            # from the project root
#   ROUNDS=2 DURATION=15 CONNECTIONS=32 LOOPS=1 src/test/bench/route-bench.sh
#
# LOOPS is both orch's event loops and the proxy nginx's worker_processes, so the two proxies get the
# same number of threads. ORCH_JAVA_OPTS replaces the route JVM's flags (default -Xmx256m -XX:+UseParallelGC);
# add -Dorch.route.epoll=false to measure the NIO transport instead of epoll. Installs nginx and wrk with apt-get when they are missing.
set -euo pipefail
trap 'echo "route-bench: failed at line $LINENO: $BASH_COMMAND" >&2' ERR

ROUNDS=${ROUNDS:-2}
DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-32}
LOOPS=${LOOPS:-1}
WARMUP=${WARMUP:-10}
BACKEND_PORT=${BACKEND_PORT:-18081}
NGINX_PORT=${NGINX_PORT:-18082}
ORCH_PORT=${ORCH_PORT:-18083}

root=$(cd "$(dirname "$0")/../../.." && pwd)
work="$root/target/route-bench"
mkdir -p "$work"

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for c in backend proxy; do
    if [ -f "$work/$c.pid" ]; then
      pid=$(cat "$work/$c.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done # free the ports for the next run
    fi
  done
}
trap cleanup EXIT

nginx_conf() { # name workers server-block
  cat >"$work/$1.conf" <<EOF
worker_processes $2;
pid $work/$1.pid;
error_log $work/$1.error.log warn;
daemon on;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/$1-body;
  proxy_temp_path $work/$1-proxy;
  fastcgi_temp_path $work/$1-fastcgi;
  uwsgi_temp_path $work/$1-uwsgi;
  scgi_temp_path $work/$1-scgi;
  keepalive_requests 1000000;
  $3
}
EOF
  "$NGINX" -p "$work" -c "$work/$1.conf"
}

# The backend: one nginx worker answering a small static body (the same for all three paths).
nginx_conf backend 1 "server { listen 127.0.0.1:$BACKEND_PORT; location / { default_type text/plain; return 200 'hello from the backend\n'; } }"
# nginx as a keep-alive reverse proxy, the usual production settings.
nginx_conf proxy "$LOOPS" "upstream app { server 127.0.0.1:$BACKEND_PORT; keepalive 64; }
  server { listen 127.0.0.1:$NGINX_PORT; location / { proxy_pass http://app; proxy_http_version 1.1;
    proxy_set_header Connection \"\"; proxy_set_header Host \$host;
    proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for; proxy_set_header X-Forwarded-Proto \$scheme; } }"

# orch's route, standalone (test-scope main class on the test classpath).
(cd "$root" && mvn -o -B -q test-compile -Dquarkus.build.skip=true \
  && mvn -o -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp.txt") >"$work/build.log" 2>&1 \
  || { cat "$work/build.log"; exit 1; }
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" ${ORCH_JAVA_OPTS:--Xmx256m -XX:+UseParallelGC} -cp "$root/target/classes:$root/target/test-classes:$(cat "$work/cp.txt")" \
  dev.orch.route.RouteBenchMain "$ORCH_PORT" http "$LOOPS" "127.0.0.1:$BACKEND_PORT" >"$work/orch.out" 2>"$work/orch.err" &
pids+=($!)
for _ in $(seq 100); do grep -q READY "$work/orch.out" && break; sleep 0.2; done
grep -q READY "$work/orch.out" || { cat "$work/orch.err"; exit 1; }

for port in $BACKEND_PORT $NGINX_PORT $ORCH_PORT; do
  curl -sf "http://127.0.0.1:$port/" | grep -q 'hello from the backend' || { echo "port $port does not answer" >&2; exit 1; }
done

# wrk prints latencies as 412.00us, 1.20ms or 1.01s: convert to milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'; }

measure() { # port -> "rps p50ms p99ms"
  local out
  out=$(wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$1/")
  echo "$out" >>"$work/wrk.log"
  local rps p50 p99
  rps=$(echo "$out" | awk '/^Requests\/sec:/ { print $2 }')
  p50=$(to_ms "$(echo "$out" | awk '$1 == "50%" { print $2 }')")
  p99=$(to_ms "$(echo "$out" | awk '$1 == "99%" { print $2 }')")
  echo "$rps $p50 $p99"
}

echo "warming up the JIT of orch's route (${WARMUP}s) and nginx..." >&2
wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" "http://127.0.0.1:$ORCH_PORT/" >/dev/null
wrk -t1 -c"$CONNECTIONS" -d3s "http://127.0.0.1:$NGINX_PORT/" >/dev/null

echo "wrk -t1 -c$CONNECTIONS -d${DURATION}s --latency; proxies with $LOOPS thread(s); $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$ROUNDS"); do
  read -r d_rps d_p50 d_p99 <<<"$(measure $BACKEND_PORT)"
  read -r o_rps o_p50 o_p99 <<<"$(measure $ORCH_PORT)"
  read -r n_rps n_p50 n_p99 <<<"$(measure $NGINX_PORT)"
  printf '\nround %d\n%-8s %12s %10s %10s\n' "$round" path req/s p50_ms p99_ms
  printf '%-8s %12s %10s %10s\n' direct "$d_rps" "$d_p50" "$d_p99" orch "$o_rps" "$o_p50" "$o_p99" nginx "$n_rps" "$n_p50" "$n_p99"
  awk -v o="$o_rps" -v n="$n_rps" -v d="$d_rps" -v op="$o_p99" -v np="$n_p99" -v dp="$d_p99" 'BEGIN {
    printf "orch/nginx throughput %.2f   orch/direct throughput %.2f\n", o / n, o / d
    printf "added p99 vs direct: orch %+.3f ms, nginx %+.3f ms\n", op - dp, np - dp }'
done
echo "(load average after: $(cut -d' ' -f1-3 /proc/loadavg))"
