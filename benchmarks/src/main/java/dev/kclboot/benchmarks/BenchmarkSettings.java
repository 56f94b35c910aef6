package dev.kclboot.benchmarks;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The knobs of {@link ThroughputBenchmark}. Each one is read from a command-line argument {@code --name=value}, else
 * from the system property {@code bench.name}, else its default; the defaults are the figures of issue 3 (200,000
 * records of 100 bytes in 4 shards).
 *
 * @param records records loaded into the stream and read by each reader
 * @param payloadBytes size of each record's data
 * @param shards shards of the stream
 * @param putBatch entries per PutRecords call while loading (at most 500)
 * @param loaders threads that load the stream in parallel
 * @param maxRecords GetRecords limit of both the plain loop and the worker (1..10000)
 * @param idleTimeBetweenReads the worker's idle time between reads of a caught-up shard
 * @param failoverTime the worker's failover time
 * @param restarts how many times a new worker is started on the existing lease table (time to first record)
 * @param restartRecords records put before each restart
 * @param rounds rounds of (plain pass, worker pass on a new lease table), the order alternating, so that a busy
 * machine or a cold JIT does not favour one side; figures are per round and their median
 * @param meters whether the worker gets a Micrometer {@code SimpleMeterRegistry} (as an application with actuator
 * would) or none
 * @param processingTime how long the benchmark's processor sleeps per batch, to simulate work (default 0: no-op)
 * @param histogram print a class histogram of the heap before and after the first worker round (diagnosis)
 * @param timeout the longest the whole run may take before it gives up and exits
 */
public record BenchmarkSettings(int records, int payloadBytes, int shards, int putBatch, int loaders, int maxRecords,
        Duration idleTimeBetweenReads, Duration failoverTime, int restarts, int restartRecords, int rounds,
        boolean meters, Duration processingTime, boolean histogram, Duration timeout) {

    public static final BenchmarkSettings DEFAULTS = new BenchmarkSettings(200_000, 100, 4, 500, 2, 10_000,
            Duration.ofMillis(200), Duration.ofSeconds(10), 3, 1_000, 3, true, Duration.ZERO,
            false, Duration.ofMinutes(15));

    public BenchmarkSettings {
        positive("records", records);
        positive("payloadBytes", payloadBytes);
        positive("shards", shards);
        positive("loaders", loaders);
        positive("restartRecords", restartRecords);
        positive("rounds", rounds);
        if (putBatch < 1 || putBatch > 500) {
            throw new IllegalArgumentException("putBatch must be between 1 and 500, was " + putBatch);
        }
        if (maxRecords < 1 || maxRecords > 10_000) {
            throw new IllegalArgumentException("maxRecords must be between 1 and 10000, was " + maxRecords);
        }
        if (restarts < 0) {
            throw new IllegalArgumentException("restarts must not be negative, was " + restarts);
        }
        if (idleTimeBetweenReads.isNegative() || processingTime.isNegative() || failoverTime.isNegative() || failoverTime.isZero()
                || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("durations must be positive (idleTimeBetweenReads and processingTime may be 0)");
        }
    }

    /**
     * Reads the settings: {@code --name=value} arguments win over {@code bench.name} system properties, which win
     * over the defaults. Durations are milliseconds ({@code --idleTimeBetweenReadsMs=200}) or ISO-8601.
     * @throws IllegalArgumentException for an unknown argument or a bad value, naming it
     */
    public static BenchmarkSettings parse(String[] args, Properties systemProperties) {
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
        BenchmarkSettings d = DEFAULTS;
        Reader r = new Reader(values);
        BenchmarkSettings settings = new BenchmarkSettings(r.integer("records", d.records),
                r.integer("payloadBytes", d.payloadBytes), r.integer("shards", d.shards),
                r.integer("putBatch", d.putBatch), r.integer("loaders", d.loaders),
                r.integer("maxRecords", d.maxRecords), r.duration("idleTimeBetweenReadsMs", d.idleTimeBetweenReads),
                r.duration("failoverTimeMs", d.failoverTime), r.integer("restarts", d.restarts),
                r.integer("restartRecords", d.restartRecords), r.integer("rounds", d.rounds),
                r.bool("meters", d.meters), r.duration("processingTimeMs", d.processingTime),
                r.bool("histogram", d.histogram), r.duration("timeoutMs", d.timeout));
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("Unknown setting(s) " + values.keySet() + "\n" + usage());
        }
        return settings;
    }

    static String usage() {
        return """
                Settings (--name=value or -Dbench.name=value), defaults in brackets:
                  records [200000]  payloadBytes [100]  shards [4]  putBatch [500]  loaders [2]
                  maxRecords [10000]  idleTimeBetweenReadsMs [200]  failoverTimeMs [10000]
                  restarts [3]  restartRecords [1000]  rounds [3]  meters [true]
                  processingTimeMs [0] (sleep per batch in the worker's processor)
                  histogram [false] (heap class histograms around worker round 1)  timeoutMs [900000]""";
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
    }

    /** Takes values out of the map as they are read, so that what is left over is unknown. */
    private record Reader(Map<String, String> values) {

        int integer(String name, int fallback) {
            String value = values.remove(name);
            if (value == null) {
                return fallback;
            }
            try {
                return Integer.parseInt(value.replace("_", "").replace(",", "").trim());
            }
            catch (NumberFormatException ex) {
                throw new IllegalArgumentException(name + " must be an integer, was '" + value + "'");
            }
        }

        Duration duration(String name, Duration fallback) {
            String value = values.remove(name);
            if (value == null) {
                return fallback;
            }
            try {
                return value.trim().startsWith("P") ? Duration.parse(value.trim())
                        : Duration.ofMillis(Long.parseLong(value.trim()));
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
    }
}
