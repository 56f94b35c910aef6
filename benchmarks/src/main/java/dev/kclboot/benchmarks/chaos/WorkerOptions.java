package dev.kclboot.benchmarks.chaos;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link ChaosWorker} process is told on its command line ({@code --name=value} each); the orchestrator
 * builds it and {@link #toArgs()} writes it, so both sides share one format.
 *
 * @param workerId the worker's id, also its lease owner name ({@code w<slot>.<incarnation>})
 * @param stream the stream
 * @param application the application (and lease table) name
 * @param kinesis the Kinesis endpoint
 * @param dynamoDb the DynamoDB endpoint
 * @param log the worker's delivery and event log
 * @param faultRate share of SDK calls that get a fault
 * @param processorFailureRate share of batches for which processRecords throws
 * @param seed the seed of this process's randoms
 * @param failoverTime the engine's failover time
 * @param idleTimeBetweenReads the engine's idle time between reads
 * @param shardSyncInterval the engine's shard sync interval
 * @param parentPid the orchestrator's pid: the worker halts when it is gone, so no JVM outlives a killed run
 */
public record WorkerOptions(String workerId, String stream, String application, URI kinesis, URI dynamoDb, Path log,
        double faultRate, double processorFailureRate, long seed, Duration failoverTime,
        Duration idleTimeBetweenReads, Duration shardSyncInterval, long parentPid) {

    /** The arguments that {@link #parse(String[])} reads back. */
    public List<String> toArgs() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("workerId", workerId);
        values.put("stream", stream);
        values.put("application", application);
        values.put("kinesis", kinesis);
        values.put("dynamoDb", dynamoDb);
        values.put("log", log);
        values.put("faultRate", faultRate);
        values.put("processorFailureRate", processorFailureRate);
        values.put("seed", seed);
        values.put("failoverMs", failoverTime.toMillis());
        values.put("idleMs", idleTimeBetweenReads.toMillis());
        values.put("shardSyncMs", shardSyncInterval.toMillis());
        values.put("parentPid", parentPid);
        return values.entrySet().stream().map(entry -> "--" + entry.getKey() + "=" + entry.getValue()).toList();
    }

    /**
     * Reads the arguments {@link #toArgs()} wrote.
     * @throws IllegalArgumentException naming a missing, unknown or bad argument
     */
    public static WorkerOptions parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("Arguments are --name=value, was '" + arg + "'");
            }
            values.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        WorkerOptions options = new WorkerOptions(take(values, "workerId"), take(values, "stream"),
                take(values, "application"), URI.create(take(values, "kinesis")),
                URI.create(take(values, "dynamoDb")), Path.of(take(values, "log")),
                Double.parseDouble(take(values, "faultRate")), Double.parseDouble(take(values, "processorFailureRate")),
                Long.parseLong(take(values, "seed")), Duration.ofMillis(Long.parseLong(take(values, "failoverMs"))),
                Duration.ofMillis(Long.parseLong(take(values, "idleMs"))),
                Duration.ofMillis(Long.parseLong(take(values, "shardSyncMs"))),
                Long.parseLong(take(values, "parentPid")));
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("Unknown arguments " + values.keySet());
        }
        return options;
    }

    private static String take(Map<String, String> values, String name) {
        String value = values.remove(name);
        if (value == null) {
            throw new IllegalArgumentException("Missing --" + name + "=...");
        }
        return value;
    }
}
