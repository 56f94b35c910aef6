package dev.kclboot.benchmarks.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * The knobs of a chaos run. {@link #ci()} is the short run of {@code ChaosIT}; {@link #parse(Properties)} reads
 * {@code chaos.<name>} system properties over the long-run defaults ({@link #LONG}). Durations are written
 * {@code 500ms}, {@code 15s}, {@code 10m}, {@code 1h} or ISO-8601.
 *
 * @param duration how long the producer writes and the chaos schedule runs
 * @param workers worker processes
 * @param shards shards of the new stream
 * @param keys partition keys of the producer
 * @param keysPerRequest records per PutRecords request (one per key)
 * @param putInterval time from one PutRecords request to the next
 * @param faultRate share of the worker processes' SDK calls that get a fault
 * @param processorFailureRate share of batches for which processRecords throws
 * @param seed seed of every random of the run (the schedule's picks, the workers' faults)
 * @param warmup time before the first chaos action
 * @param actionInterval time between the starts of two chaos actions
 * @param outage how long DynamoDB is down in an outage
 * @param restartDelay time between a kill -9 (or an unexpected exit) and the restart
 * @param drainTimeout the longest wait after the producer stopped for every acknowledged id to be delivered
 * @param linger time the workers keep running after draining, so that late re-reads (shard sync, cleanup) show
 * @param failoverTime the workers' failover time
 * @param idleTimeBetweenReads the workers' idle time between reads
 * @param shardSyncInterval the workers' shard sync (and lease cleanup) interval
 * @param maxOpenShards a split becomes a merge once this many shards are open
 * @param workerJvmOptions JVM options of the worker processes
 * @param dir where the run's logs go
 */
public record ChaosSettings(Duration duration, int workers, int shards, int keys, int keysPerRequest,
        Duration putInterval, double faultRate, double processorFailureRate, long seed, Duration warmup,
        Duration actionInterval, Duration outage, Duration restartDelay, Duration drainTimeout, Duration linger,
        Duration failoverTime, Duration idleTimeBetweenReads, Duration shardSyncInterval, int maxOpenShards,
        List<String> workerJvmOptions, Path dir) {

    private static final List<String> JVM = List.of("-Xmx160m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Xss512k");

    /** The long run's defaults: 10 minutes, 3 workers, 3 shards, 10 % faults, 15 s outages. */
    public static final ChaosSettings LONG = new ChaosSettings(Duration.ofMinutes(10), 3, 3, 50, 10,
            Duration.ofMillis(200), 0.10, 0.01, 42, Duration.ofSeconds(10), Duration.ofSeconds(12),
            Duration.ofSeconds(15), Duration.ofSeconds(2), Duration.ofSeconds(90), Duration.ofSeconds(6),
            Duration.ofSeconds(3), Duration.ofMillis(100), Duration.ofSeconds(2), 8, JVM,
            Path.of("target", "chaos"));

    public ChaosSettings {
        positive("workers", workers);
        positive("shards", shards);
        positive("keys", keys);
        positive("keysPerRequest", keysPerRequest);
        positive("maxOpenShards", maxOpenShards);
        if (keysPerRequest > 500) {
            throw new IllegalArgumentException("keysPerRequest must be at most 500 (one PutRecords request)");
        }
        if (faultRate < 0 || faultRate > 1 || processorFailureRate < 0 || processorFailureRate > 1) {
            throw new IllegalArgumentException("faultRate and processorFailureRate must be between 0 and 1");
        }
        for (Duration d : List.of(duration, putInterval, actionInterval, failoverTime, shardSyncInterval)) {
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException("durations must be positive, was " + d);
            }
        }
        workerJvmOptions = List.copyOf(workerJvmOptions);
    }

    /**
     * The CI run: 90 s of chaos (a split, a kill -9 and restart, a merge of the split's children, a graceful
     * restart, a 12 s DynamoDB outage, a split of the merged shard) with 3 workers on 2 shards, about 4,500 ids.
     */
    public static ChaosSettings ci() {
        return LONG.with(s -> new ChaosSettings(Duration.ofSeconds(90), s.workers, 2, s.keys, s.keysPerRequest,
                s.putInterval, s.faultRate, s.processorFailureRate, s.seed, s.warmup, s.actionInterval,
                Duration.ofSeconds(12), s.restartDelay, Duration.ofSeconds(40), s.linger, s.failoverTime,
                s.idleTimeBetweenReads, s.shardSyncInterval, s.maxOpenShards, s.workerJvmOptions, s.dir));
    }

    /** These settings with the logs in another directory. */
    public ChaosSettings withDir(Path dir) {
        return new ChaosSettings(duration, workers, shards, keys, keysPerRequest, putInterval, faultRate,
                processorFailureRate, seed, warmup, actionInterval, outage, restartDelay, drainTimeout, linger,
                failoverTime, idleTimeBetweenReads, shardSyncInterval, maxOpenShards, workerJvmOptions, dir);
    }

    private ChaosSettings with(Function<ChaosSettings, ChaosSettings> change) {
        return change.apply(this);
    }

    /**
     * {@code chaos.<name>} properties over {@code base}.
     * @throws IllegalArgumentException for an unknown {@code chaos.*} property or a bad value, naming it
     */
    public static ChaosSettings parse(Properties properties, ChaosSettings base) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith("chaos.")) {
                values.put(name.substring("chaos.".length()), properties.getProperty(name));
            }
        }
        Reader r = new Reader(values);
        ChaosSettings b = base;
        ChaosSettings settings = new ChaosSettings(r.duration("duration", b.duration), r.integer("workers", b.workers),
                r.integer("shards", b.shards), r.integer("keys", b.keys), r.integer("keysPerRequest", b.keysPerRequest),
                r.duration("putInterval", b.putInterval), r.decimal("faultRate", b.faultRate),
                r.decimal("processorFailureRate", b.processorFailureRate), r.longValue("seed", b.seed),
                r.duration("warmup", b.warmup), r.duration("actionInterval", b.actionInterval),
                r.duration("outage", b.outage), r.duration("restartDelay", b.restartDelay),
                r.duration("drainTimeout", b.drainTimeout), r.duration("linger", b.linger),
                r.duration("failoverTime", b.failoverTime), r.duration("idleTimeBetweenReads", b.idleTimeBetweenReads),
                r.duration("shardSyncInterval", b.shardSyncInterval), r.integer("maxOpenShards", b.maxOpenShards),
                r.words("workerJvmOptions", b.workerJvmOptions), Path.of(r.text("dir", b.dir.toString())));
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("Unknown setting(s) " + values.keySet().stream().map(n -> "chaos." + n)
                    .toList() + "\n" + usage());
        }
        return settings;
    }

    static String usage() {
        return """
                Settings (-Dchaos.name=value), long-run defaults in brackets:
                  duration [10m]  workers [3]  shards [3]  keys [50]  keysPerRequest [10]  putInterval [200ms]
                  faultRate [0.10]  processorFailureRate [0.01]  seed [42]
                  warmup [10s]  actionInterval [12s]  outage [15s]  restartDelay [2s]  drainTimeout [90s]  linger [6s]
                  failoverTime [3s]  idleTimeBetweenReads [100ms]  shardSyncInterval [2s]  maxOpenShards [8]
                  workerJvmOptions ["-Xmx160m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k"]  dir [target/chaos]""";
    }

    /** One line with every setting, for the head of a report. */
    public String describe() {
        return String.format(Locale.ROOT, "duration %s, %d workers, %d shards, %d keys (%d per request every %s), "
                + "fault rate %.2f, processor failure rate %.2f, seed %d, actions every %s after %s, outage %s, "
                + "failover %s, idle %s, shard sync %s", duration, workers, shards, keys, keysPerRequest, putInterval,
                faultRate, processorFailureRate, seed, actionInterval, warmup, outage, failoverTime,
                idleTimeBetweenReads, shardSyncInterval);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
    }

    /** Parses a duration: {@code 500ms}, {@code 15s}, {@code 10m}, {@code 1h}, or ISO-8601. */
    static Duration duration(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("p")) {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            }
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            return switch (value.charAt(value.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw new IllegalArgumentException(text);
            };
        }
        catch (RuntimeException ex) {
            throw new IllegalArgumentException("Not a duration: '" + text + "' (500ms, 15s, 10m, 1h or ISO-8601)");
        }
    }

    /** Takes values out of the map as they are read, so that what is left over is unknown. */
    private record Reader(Map<String, String> values) {

        int integer(String name, int fallback) {
            String value = values.remove(name);
            try {
                return value == null ? fallback : Integer.parseInt(value.trim());
            }
            catch (NumberFormatException ex) {
                throw new IllegalArgumentException("chaos." + name + " must be an integer, was '" + value + "'");
            }
        }

        long longValue(String name, long fallback) {
            String value = values.remove(name);
            try {
                return value == null ? fallback : Long.parseLong(value.trim());
            }
            catch (NumberFormatException ex) {
                throw new IllegalArgumentException("chaos." + name + " must be an integer, was '" + value + "'");
            }
        }

        double decimal(String name, double fallback) {
            String value = values.remove(name);
            try {
                return value == null ? fallback : Double.parseDouble(value.trim());
            }
            catch (NumberFormatException ex) {
                throw new IllegalArgumentException("chaos." + name + " must be a number, was '" + value + "'");
            }
        }

        Duration duration(String name, Duration fallback) {
            String value = values.remove(name);
            try {
                return value == null ? fallback : ChaosSettings.duration(value);
            }
            catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("chaos." + name + ": " + ex.getMessage());
            }
        }

        String text(String name, String fallback) {
            String value = values.remove(name);
            return value == null ? fallback : value;
        }

        List<String> words(String name, List<String> fallback) {
            String value = values.remove(name);
            return value == null ? fallback : List.of(value.trim().split("\\s+"));
        }
    }
}
