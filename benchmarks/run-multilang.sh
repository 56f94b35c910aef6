#!/usr/bin/env bash
# Start -> first record, graceful stop and restart -> resume: kcl-multilang against the KCL's MultiLangDaemon 3.1.3,
# the same Python processor (kcl-multilang/src/test/python/record_processor.py) and the same emulators.
#   benchmarks/run-multilang.sh                       # 3 rounds of ours, 1 of the daemon (each daemon round takes minutes)
#   BENCH_ROUNDS=5 BENCH_DAEMON_ROUNDS=2 benchmarks/run-multilang.sh
#   benchmarks/run-multilang.sh --migration           # one application: daemon -> kcl-multilang -> daemon, checked
# The daemon's jars (software.amazon.kinesis:amazon-kinesis-client-multilang and its ~130 dependencies) are fetched
# by a throwaway pom into benchmarks/target/kcl-daemon: they are never a dependency of this project.
# Needs Java 17+, Node.js 18+ (emulators) and python3.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
./mvnw -B -q -o -pl kcl-multilang,benchmarks -am package -DskipTests >/dev/null 2>&1 \
    || ./mvnw -B -q -pl kcl-multilang,benchmarks -am package -DskipTests
daemon="$root/benchmarks/target/kcl-daemon"
if [ ! -d "$daemon/lib" ]; then
    mkdir -p "$daemon"
    cat > "$daemon/pom.xml" <<'POM'
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>benchmark</groupId><artifactId>kcl-daemon-fetch</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies><dependency><groupId>software.amazon.kinesis</groupId>
    <artifactId>amazon-kinesis-client-multilang</artifactId><version>3.1.3</version></dependency></dependencies>
</project>
POM
    ./mvnw -B -q -f "$daemon/pom.xml" dependency:copy-dependencies -DoutputDirectory="$daemon/lib"
fi
jar="$(ls "$root"/kcl-multilang/target/kcl-multilang-*.jar | grep -v original | head -1)"
classpath="$root/benchmarks/target/classes:$(cat "$root/benchmarks/target/classpath.txt")"
exec java -Xmx512m -cp "$classpath" \
    -Dbench.jar="$jar" -Dbench.daemon.classpath="$daemon/lib/*" \
    -Dbench.processor="$root/kcl-multilang/src/test/python/record_processor.py" \
    -Dbench.rounds="${BENCH_ROUNDS:-3}" -Dbench.daemon.rounds="${BENCH_DAEMON_ROUNDS:-1}" \
    -Dbench.work="$root/benchmarks/target/multilang-bench" \
    "$([ "${1:-}" = "--migration" ] && echo dev.kclboot.benchmarks.multilang.MultiLangMigrationCheck \
        || echo dev.kclboot.benchmarks.multilang.MultiLangBenchmark)"
