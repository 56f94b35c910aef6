package dev.kclboot.benchmarks.latency;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The knobs of {@link LatencyBenchmark}, each from {@code --name=value}, else the system property
 * {@code bench.name}, else its default.
 * @param records measured records per contender
 * @param warmup records written and read before the measured ones (startup, first subscription, JIT)
 * @param rate records put per second, one PutRecord each
 * @param shards shards of each phase's stream
 * @param timeout the longest the whole run may take
 * @param warmupRound whether every contender first runs once with the warm-up records only, unreported
 */
record LatencySettings(int records, int warmup, double rate, int shards, Duration timeout, boolean warmupRound) {

    static LatencySettings parse(String[] args) {
        Map<String, String> given = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.equals("--help")) {
                throw new IllegalArgumentException(usage());
            }
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("Unknown argument '" + arg + "'\n" + usage());
            }
            given.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        LatencySettings settings = new LatencySettings(integer(given, "records", 3000), integer(given, "warmup", 300),
                Double.parseDouble(value(given, "rate", "100")), integer(given, "shards", 2),
                Duration.parse("PT" + value(given, "timeout", "20m").toUpperCase(java.util.Locale.ROOT)),
                Boolean.parseBoolean(value(given, "warmup-round", "true")));
        if (!given.isEmpty()) {
            throw new IllegalArgumentException("Unknown settings " + given.keySet() + "\n" + usage());
        }
        return settings;
    }

    int total() {
        return warmup + records;
    }

    private static String usage() {
        return "Settings: --records=3000 --warmup=300 --rate=100 (records/s) --shards=2 --warmup-round=true --timeout=20m";
    }

    private static int integer(Map<String, String> given, String name, int fallback) {
        return Integer.parseInt(value(given, name, String.valueOf(fallback)));
    }

    private static String value(Map<String, String> given, String name, String fallback) {
        String value = given.remove(name);
        if (value == null) {
            value = System.getProperty("bench." + name);
        }
        return value != null ? value : fallback;
    }
}
