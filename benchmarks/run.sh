#!/usr/bin/env bash
# Builds kcl-core, kcl-spring-boot-test and this module (no tests, nothing installed into ~/.m2), then runs
# dev.kclboot.benchmarks.ThroughputBenchmark with the arguments given, e.g.
#   benchmarks/run.sh                      # full size: 200,000 records of 100 bytes, 4 shards
#   benchmarks/run.sh --records=20000      # a quick run
# Settings: --name=value (see --help). JVM options: BENCH_JAVA_OPTS (default -Xms1g -Xmx1g).
# Needs Java 17+ and Node.js 18+ (kinesalite and dynalite run as child processes).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# Offline first (everything is usually in ~/.m2 already), online when something is missing.
./mvnw -B -q -o -pl benchmarks -am package -DskipTests >/dev/null 2>&1 \
    || ./mvnw -B -q -pl benchmarks -am package -DskipTests
classpath="$root/benchmarks/target/classes:$(cat "$root/benchmarks/target/classpath.txt")"
# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:--Xms1g -Xmx1g} -Daws.cborEnabled=false -cp "$classpath" \
    dev.kclboot.benchmarks.ThroughputBenchmark "$@"
