package dev.kclboot.benchmarks.scale;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The knobs of {@link ScaleBenchmark}, each read from {@code --name=value}, else the system property
 * {@code bench.name}, else its default (the figures of issue 11). Durations are milliseconds or ISO-8601, lists are
 * comma-separated.
 *
 * @param shards the stream sizes of the scale runs (one stream, and one lease table, per run)
 * @param workers how many workers share each stream (1: one worker takes everything; 2: a second joins it, the
 * fleet runs balanced, the second leaves)
 * @param latency added to every attempt of the workers' DynamoDB calls (half before sending, half after the answer)
 * @param stall the length of the one DynamoDB stall of a stall run
 * @param stallShards the stream sizes that get an extra one-worker run with a stall in its steady phase (empty: none)
 * @param stallAt when the stall starts, counted from the start of the steady phase
 * @param steady how long the steady phase lasts, after taking (and, with two workers, after balancing)
 * @param failoverTime the workers' failover time (renewals every third of it)
 * @param observePeriod how often the benchmark scans the lease table to watch the counters
 * @param putInterval with two workers, a record into every shard this often while the second worker joins and leaves
 * (so rebalancing happens while records flow); 0 for none
 * @param steadyPutInterval a record into every shard this often during the steady phase; 0 (default): none, so that
 * the counters move by renewals only and the shards are caught up
 * @param balanceTimeout the longest a join or leave may take before the run gives up on it
 * @param maxLeasesToSteal the workers' {@code maxLeasesToStealAtOneTime}
 * @param idleShards the shards of the idle run
 * @param idle how long the idle run counts, after every lease is held
 * @param scale whether the scale runs happen
 * @param idleRun whether the idle run happens
 * @param kclClasspath the classpath of KCL 3.5.1 for the idle baseline ({@code benchmarks/run-scale.sh} fetches it);
 * empty: no baseline
 * @param kclProgram the source file of the KCL baseline program
 * @param timeout the longest the whole benchmark may take
 * @param virtualThreads whether the workers run on virtual threads (Java 21+): consumer steps and reads on
 * {@code Executors.newVirtualThreadPerTaskExecutor()}, the engine's own threads from a virtual thread factory, as
 * {@code spring.threads.virtual.enabled} does for the Spring workers' listener calls and reads
 * @param asyncClients whether the workers also get async clients (Netty, one event loop of 2 threads and one SDK
 * scheduler shared by a worker's four clients, futures completed on the event loop): GetRecords and renewals then
 * hold no thread while in flight; false: blocking clients only, the DynamoDB delay sleeping in an interceptor
 */
public record ScaleSettings(List<Integer> shards, List<Integer> workers, Duration latency, Duration stall,
        List<Integer> stallShards, Duration stallAt, Duration steady, Duration failoverTime, Duration observePeriod,
        Duration putInterval, Duration steadyPutInterval, Duration balanceTimeout, int maxLeasesToSteal,
        int idleShards, Duration idle, boolean scale, boolean idleRun, String kclClasspath, String kclProgram,
        Duration timeout, boolean virtualThreads, boolean asyncClients) {

    public static final ScaleSettings DEFAULTS = new ScaleSettings(List.of(20, 100, 200), List.of(1, 2),
            Duration.ofMillis(150), Duration.ofSeconds(8), List.of(20), Duration.ofSeconds(30), Duration.ofSeconds(90),
            Duration.ofSeconds(10), Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ZERO,
            Duration.ofMinutes(10), 10, 4, Duration.ofSeconds(300), true, true, "", "benchmarks/kcl3/KclIdleBaseline.java",
            Duration.ofMinutes(90), false, true);

    public ScaleSettings {
        shards = List.copyOf(shards);
        workers = List.copyOf(workers);
        stallShards = List.copyOf(stallShards);
        for (int s : shards) {
            if (s < 1 || s > 500) {
                throw new IllegalArgumentException("shards must be between 1 and 500, was " + s);
            }
        }
        for (int w : workers) {
            if (w != 1 && w != 2) {
                throw new IllegalArgumentException("workers must be 1 or 2, was " + w);
            }
        }
        if (idleShards < 1) {
            throw new IllegalArgumentException("idleShards must be at least 1, was " + idleShards);
        }
        if (maxLeasesToSteal < 1) {
            throw new IllegalArgumentException("maxLeasesToSteal must be at least 1, was " + maxLeasesToSteal);
        }
        for (Duration d : List.of(latency, stall, stallAt, putInterval, steadyPutInterval)) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("durations must not be negative");
            }
        }
        for (Duration d : List.of(steady, failoverTime, observePeriod, balanceTimeout, idle, timeout)) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("steady, failoverTime, observePeriod, balanceTimeout, idle and "
                        + "timeout must be positive");
            }
        }
        if (!stallShards.isEmpty() && stallAt.plus(stall).compareTo(steady) > 0) {
            throw new IllegalArgumentException("the stall (stallAtMs + stallMs) must end within the steady phase");
        }
    }

    /**
     * Reads the settings: arguments win over {@code bench.*} system properties, which win over the defaults.
     * @throws IllegalArgumentException for an unknown setting or a bad value, naming it (and for --help, the usage)
     */
    public static ScaleSettings parse(String[] args, Properties systemProperties) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : systemProperties.stringPropertyNames()) {
            if (name.startsWith("bench.")) {
                values.put(name.substring("bench.".length()), systemProperties.getProperty(name));
            }
        }
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new IllegalArgumentException(usage());
            }
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("Arguments are --name=value, was '" + arg + "'\n" + usage());
            }
            values.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        ScaleSettings d = DEFAULTS;
        Reader r = new Reader(values);
        ScaleSettings settings = new ScaleSettings(r.integers("shards", d.shards), r.integers("workers", d.workers),
                r.duration("latencyMs", d.latency), r.duration("stallMs", d.stall),
                r.integers("stallShards", d.stallShards), r.duration("stallAtMs", d.stallAt),
                r.duration("steadyMs", d.steady), r.duration("failoverTimeMs", d.failoverTime),
                r.duration("observeMs", d.observePeriod), r.duration("putIntervalMs", d.putInterval),
                r.duration("steadyPutIntervalMs", d.steadyPutInterval), r.duration("balanceTimeoutMs", d.balanceTimeout),
                r.integer("maxLeasesToSteal", d.maxLeasesToSteal), r.integer("idleShards", d.idleShards),
                r.duration("idleMs", d.idle), r.bool("scale", d.scale), r.bool("idleRun", d.idleRun),
                r.text("kclClasspath", d.kclClasspath), r.text("kclProgram", d.kclProgram),
                r.duration("timeoutMs", d.timeout), r.bool("virtualThreads", d.virtualThreads),
                r.bool("asyncClients", d.asyncClients));
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("Unknown setting(s) " + values.keySet() + "\n" + usage());
        }
        return settings;
    }

    static String usage() {
        return """
                Settings (--name=value or -Dbench.name=value), defaults in brackets:
                  shards [20,100,200]  workers [1,2]  latencyMs [150] (added to every DynamoDB attempt of the workers)
                  stallMs [8000]  stallShards [20] (extra 1-worker runs with one stall; empty for none)
                  stallAtMs [30000] (into the steady phase)  steadyMs [90000]  failoverTimeMs [10000]
                  observeMs [200] (lease table scans from outside)  putIntervalMs [2000] (records while workers
                  join/leave)  steadyPutIntervalMs [0] (records during steady; 0 none)  balanceTimeoutMs [600000]
                  maxLeasesToSteal [10]  idleShards [4]  idleMs [300000]  scale [true]  idleRun [true]
                  kclClasspath [] (KCL 3.5.1 jars for the idle baseline; empty: none)
                  kclProgram [benchmarks/kcl3/KclIdleBaseline.java]  timeoutMs [5400000]
                  virtualThreads [false] (Java 21+: the workers on virtual threads)
                  asyncClients [true] (async Kinesis and DynamoDB clients for GetRecords and renewals)""";
    }

    /** Takes values out of the map as they are read, so that what is left over is unknown. */
    private record Reader(Map<String, String> values) {

        int integer(String name, int fallback) {
            String value = values.remove(name);
            if (value == null) {
                return fallback;
            }
            return parseInt(name, value);
        }

        List<Integer> integers(String name, List<Integer> fallback) {
            String value = values.remove(name);
            if (value == null) {
                return fallback;
            }
            List<Integer> result = new ArrayList<>();
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    result.add(parseInt(name, part));
                }
            }
            return result;
        }

        private static int parseInt(String name, String value) {
            try {
                return Integer.parseInt(value.replace("_", "").trim());
            }
            catch (NumberFormatException ex) {
                throw new IllegalArgumentException(name + " must be integers, was '" + value + "'");
            }
        }

        Duration duration(String name, Duration fallback) {
            String value = values.remove(name);
            if (value == null) {
                return fallback;
            }
            try {
                return value.trim().startsWith("P") ? Duration.parse(value.trim())
                        : Duration.ofMillis(Long.parseLong(value.replace("_", "").trim()));
            }
            catch (RuntimeException ex) {
                throw new IllegalArgumentException(name + " must be milliseconds or an ISO-8601 duration, was '"
                        + value + "'");
            }
        }

        boolean bool(String name, boolean fallback) {
            String value = values.remove(name);
            if (value == null) {
                return fallback;
            }
            if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException(name + " must be true or false, was '" + value + "'");
            }
            return Boolean.parseBoolean(value);
        }

        String text(String name, String fallback) {
            String value = values.remove(name);
            return value == null ? fallback : value.trim();
        }
    }
}
