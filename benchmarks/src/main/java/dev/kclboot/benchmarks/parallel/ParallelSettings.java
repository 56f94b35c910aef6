package dev.kclboot.benchmarks.parallel;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The knobs of {@link ParallelBenchmark}, each from {@code --name=value}, else its default (the figures of issue 14).
 * @param concurrencies the concurrencies measured, the first is the baseline of the ratios
 * @param shards shards of each round's stream
 * @param keys partition keys the records are spread over (round robin, so each key's records are in write order)
 * @param handlerSleep what the handler does per record: sleeps this long (an I/O-bound call)
 * @param recordsPerSlot records per round for each unit of concurrency (a round at concurrency N gets N times as
 * many, so that every round runs for about the same time), capped by {@code maxRecords}
 * @param maxRecords the most records of one round
 * @param sequentialBaseline whether a plain record processor (one record after another in processRecords, today's
 * engine path) runs too, to show what concurrency 1 costs
 * @param springConcurrencies the concurrencies measured again through a Spring Boot application's
 * {@code @KinesisListener} ({@code kcl.listener.concurrency}); empty for none
 * @param timeout the longest the whole run may take
 */
record ParallelSettings(List<Integer> concurrencies, int shards, int keys, Duration handlerSleep, int recordsPerSlot,
        int maxRecords, boolean sequentialBaseline, List<Integer> springConcurrencies, Duration timeout) {

    static ParallelSettings parse(String[] args) {
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
        List<Integer> concurrencies = integers(value(given, "concurrencies", "1,2,5,10,50"));
        ParallelSettings settings = new ParallelSettings(concurrencies, integer(given, "shards", 4),
                integer(given, "keys", 50), Duration.ofMillis(integer(given, "sleepMs", 20)),
                integer(given, "recordsPerSlot", 1000), integer(given, "maxRecords", 40_000),
                Boolean.parseBoolean(value(given, "sequential", "true")), integers(value(given, "spring", "1,10")),
                Duration.parse("PT" + value(given, "timeout", "30m").toUpperCase(Locale.ROOT)));
        if (!given.isEmpty()) {
            throw new IllegalArgumentException("Unknown settings " + given.keySet() + "\n" + usage());
        }
        if (concurrencies.isEmpty() || concurrencies.stream().anyMatch(n -> n < 1)
                || settings.springConcurrencies().stream().anyMatch(n -> n < 1)) {
            throw new IllegalArgumentException("concurrencies must be positive");
        }
        return settings;
    }

    /** The records of the round at this concurrency. */
    int recordsAt(int concurrency) {
        return Math.min(maxRecords, recordsPerSlot * concurrency);
    }

    private static List<Integer> integers(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(item -> !item.isEmpty())
                .map(Integer::parseInt).toList();
    }

    private static String value(Map<String, String> given, String name, String fallback) {
        String value = given.remove(name);
        return value == null ? fallback : value;
    }

    private static int integer(Map<String, String> given, String name, int fallback) {
        return Integer.parseInt(value(given, name, String.valueOf(fallback)));
    }

    static String usage() {
        return """
                Usage: benchmarks/run-parallel.sh [--name=value ...]
                  --concurrencies=1,2,5,10,50  concurrencies per shard, the first is the baseline
                  --shards=4                   shards of each round's stream
                  --keys=50                    partition keys
                  --sleepMs=20                 the handler sleeps this long per record
                  --recordsPerSlot=1000        records per round = this x concurrency ...
                  --maxRecords=40000           ... at most this
                  --sequential=true            also run a plain processor (records one after another)
                  --spring=1,10                concurrencies also run through @KinesisListener (empty: none)
                  --timeout=30m                the longest the whole run may take""";
    }
}
