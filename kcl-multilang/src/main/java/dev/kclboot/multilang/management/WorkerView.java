package dev.kclboot.multilang.management;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.kclboot.core.HeldLease;
import dev.kclboot.core.ShardFailure;
import dev.kclboot.core.Worker;
import dev.kclboot.core.WorkerState;
import dev.kclboot.multilang.processor.ChildSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * The starter's view of a worker, rebuilt without Spring: the same fields and health rules as
 * {@code dev.kclboot.spring.actuate.WorkerDescriptor} and {@code WorkerHealth}, so tools reading the starter's
 * {@code kinesis} health and endpoint read this host's too. Local state only: no AWS call.
 */
final class WorkerView {

    private WorkerView() {
    }

    /**
     * Why the worker is unhealthy, or null when it is healthy (the starter's rules): it failed, has not renewed its
     * leases for the failover time, one of its streams was deleted, or a shard's consumer (here: its children) has
     * kept failing for longer than the failover time.
     */
    static @Nullable String problem(Worker worker, Clock clock) {
        WorkerState state = worker.state();
        if (state == WorkerState.FAILED) {
            Throwable failure = worker.failure();
            return "worker failed" + (failure == null ? "" : ": " + failure.getMessage());
        }
        if (state != WorkerState.RUNNING) {
            return null;
        }
        Duration failover = worker.config().failoverTime();
        Instant lastRenewal = worker.lastRenewal();
        Instant reference = lastRenewal != null ? lastRenewal : worker.startedAt();
        Instant now = clock.instant();
        if (reference != null && Duration.between(reference, now).compareTo(failover) > 0) {
            return lastRenewal == null ? "no lease renewal since the start, " + failover + " ago or more"
                    : "leases not renewed since " + lastRenewal + " (failover time " + failover + ")";
        }
        Map<String, Instant> deleted = worker.deletedStreams();
        if (!deleted.isEmpty()) {
            return "stream " + String.join(", ", deleted.keySet()) + " was deleted (found at "
                    + deleted.values().stream().min(Instant::compareTo).orElseThrow() + ")";
        }
        for (ShardFailure failure : worker.shardFailures()) {
            if (Duration.between(failure.since(), now).compareTo(failover) > 0) {
                return "shard " + failure.shardId() + " of stream " + failure.streamName() + " has failed "
                        + failure.failures() + " times since " + failure.since() + ": " + failure.error();
            }
        }
        return null;
    }

    /** The entry of {@code /actuator/kinesis}'s {@code workers} list. */
    static Map<String, Object> descriptor(Worker worker) {
        List<HeldLease> held = sorted(worker.leases());
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("application", worker.applicationName());
        map.put("workerId", worker.workerId());
        map.put("leaseTable", worker.config().leaseTableName());
        map.put("streams", streams(worker));
        map.put("state", worker.state().name());
        map.put("startedAt", worker.startedAt());
        map.put("lastRenewal", worker.lastRenewal());
        map.put("failoverTime", worker.config().failoverTime().toString());
        map.put("maxMillisBehindLatest", held.stream().map(HeldLease::millisBehindLatest)
                .filter(lag -> lag != null).max(Long::compare).orElse(null));
        map.put("leases", held.stream().map(WorkerView::lease).toList());
        map.put("shardFailures", shardFailures(worker.shardFailures()));
        map.put("deletedStreams", new LinkedHashMap<String, Object>(worker.deletedStreams()));
        return map;
    }

    /** The worker's entry in the health details. */
    static Map<String, Object> healthDetails(Worker worker, @Nullable String problem) {
        List<HeldLease> held = sorted(worker.leases());
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("application", worker.applicationName());
        map.put("workerId", worker.workerId());
        map.put("leaseTable", worker.config().leaseTableName());
        map.put("streams", streams(worker));
        map.put("state", worker.state().name());
        map.put("lastRenewal", worker.lastRenewal() == null ? "never" : worker.lastRenewal().toString());
        map.put("leasesHeld", held.size());
        map.put("leases", held.stream().map(WorkerView::lease).toList());
        List<ShardFailure> failures = worker.shardFailures();
        if (!failures.isEmpty()) {
            map.put("shardFailures", shardFailures(failures));
        }
        Map<String, Instant> deleted = worker.deletedStreams();
        if (!deleted.isEmpty()) {
            map.put("deletedStreams", new LinkedHashMap<String, Object>(deleted));
        }
        if (problem != null) {
            map.put("problem", problem);
        }
        return map;
    }

    /**
     * The running children, an addition of this host; {@code failuresBefore} is how often the shard's consumer failed
     * on this worker (a failed child ends its consumer) since the shard last made progress here.
     */
    static List<Map<String, Object>> children(List<ChildSnapshot> children, List<ShardFailure> failures) {
        return children.stream().map(child -> {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("shardId", child.shardId());
            map.put("pid", child.pid());
            map.put("startedAt", child.startedAt());
            map.put("failuresBefore", failures.stream().filter(failure -> failure.shardId().equals(child.shardId()))
                    .mapToInt(ShardFailure::failures).sum());
            return map;
        }).toList();
    }

    private static Map<String, Object> streams(Worker worker) {
        Map<String, Object> streams = new LinkedHashMap<>();
        worker.streamNames().forEach(stream -> streams.put(stream, worker.isPaused(stream)));
        return streams;
    }

    private static List<HeldLease> sorted(List<HeldLease> leases) {
        return leases.stream().sorted((a, b) -> a.leaseKey().compareTo(b.leaseKey())).toList();
    }

    /** As the starter writes {@link ShardFailure}: its components in order. */
    private static List<Map<String, Object>> shardFailures(List<ShardFailure> failures) {
        return failures.stream().map(failure -> {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("streamName", failure.streamName());
            map.put("shardId", failure.shardId());
            map.put("failures", failure.failures());
            map.put("since", failure.since());
            map.put("lastFailure", failure.lastFailure());
            map.put("error", failure.error());
            map.put("retryAt", failure.retryAt());
            return map;
        }).toList();
    }

    private static Map<String, Object> lease(HeldLease lease) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("stream", lease.streamName());
        map.put("shardId", lease.shardId());
        map.put("checkpoint", lease.checkpoint());
        map.put("millisBehindLatest", lease.millisBehindLatest());
        map.put("leaseCounter", lease.leaseCounter());
        return map;
    }
}
