#!/usr/bin/env bash
# Builds kcl-core, kcl-spring-boot-test and this module (no tests, nothing installed into ~/.m2), then runs the long
# chaos run, dev.kclboot.benchmarks.chaos.ChaosBenchmark, e.g.
#   benchmarks/chaos.sh                                        # 10 minutes, 3 workers, 10 % faults, seed 42
#   benchmarks/chaos.sh -Dchaos.duration=30m -Dchaos.seed=7 -Dchaos.workers=4 -Dchaos.faultRate=0.05
# Settings: -Dchaos.name=value (see ChaosSettings). Logs and report.txt go to benchmarks/target/chaos/run-*/.
# Needs Java 17+ and Node.js 18+ (kinesis-local and dynalite run as child processes).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
./mvnw -B -q -o -pl benchmarks -am package -DskipTests >/dev/null 2>&1 \
    || ./mvnw -B -q -pl benchmarks -am package -DskipTests
classpath="$root/benchmarks/target/classes:$(cat "$root/benchmarks/target/classpath.txt")"
cd "$root/benchmarks"
# shellcheck disable=SC2086
exec java ${CHAOS_JAVA_OPTS:--Xmx512m} "$@" -cp "$classpath" dev.kclboot.benchmarks.chaos.ChaosBenchmark
