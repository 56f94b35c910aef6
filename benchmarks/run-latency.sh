#!/usr/bin/env bash
# Put -> listener latency (p50, p99) and CPU per record of each retrieval, in one run on kinesis-local + dynalite:
# the worker with enhanced fan-out next to a bare SubscribeToShard loop, the worker polling (200 ms, 1 s) next to a
# plain GetRecords loop at the same pace. Runs dev.kclboot.benchmarks.latency.LatencyBenchmark, e.g.
#   benchmarks/run-latency.sh                         # 3000 records (+300 warm-up) per contender at 100/s, 2 shards
#   benchmarks/run-latency.sh --records=1000          # a quick run
# Needs Java 17+ and Node.js 18+ (the emulators run as child processes).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
./mvnw -B -q -o -pl benchmarks -am package -DskipTests >/dev/null 2>&1 \
    || ./mvnw -B -q -pl benchmarks -am package -DskipTests
classpath="$root/benchmarks/target/classes:$(cat "$root/benchmarks/target/classpath.txt")"
# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:--Xms512m -Xmx512m} -cp "$classpath" dev.kclboot.benchmarks.latency.LatencyBenchmark "$@"
