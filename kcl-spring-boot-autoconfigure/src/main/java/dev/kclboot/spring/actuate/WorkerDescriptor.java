package dev.kclboot.spring.actuate;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.kclboot.core.HeldLease;
import dev.kclboot.core.ShardFailure;
import dev.kclboot.core.Worker;
import org.jspecify.annotations.Nullable;

/**
 * What an operator sees of one worker, in the health details and the {@code kinesis} endpoint.
 * @param application the application name
 * @param workerId the worker's identity in the lease table
 * @param leaseTable the DynamoDB lease table
 * @param streams the streams consumed, with whether each is paused
 * @param state the worker's lifecycle state
 * @param startedAt when it was started
 * @param lastRenewal when a renewal round last succeeded
 * @param failoverTime after which peers consider an unrenewed lease expired
 * @param maxMillisBehindLatest the largest lag over the held shards, null before the first read
 * @param leases the leases held
 * @param shardFailures the shards whose consumers keep failing here, with the last error and since when
 * @param deletedStreams the streams Kinesis says no longer exist, with when this worker found out
 */
public record WorkerDescriptor(String application, String workerId, String leaseTable, Map<String, Boolean> streams,
        String state, @Nullable Instant startedAt, @Nullable Instant lastRenewal, String failoverTime,
        @Nullable Long maxMillisBehindLatest, List<LeaseDescriptor> leases, List<ShardFailure> shardFailures,
        Map<String, Instant> deletedStreams) {

    /**
     * One held lease.
     * @param stream the stream
     * @param shardId the shard
     * @param checkpoint the stored checkpoint
     * @param millisBehindLatest the lag of the last read
     * @param leaseCounter the lease counter last written
     */
    public record LeaseDescriptor(String stream, String shardId, String checkpoint, @Nullable Long millisBehindLatest,
            long leaseCounter) {
    }

    static WorkerDescriptor of(Worker worker) {
        List<HeldLease> held = worker.leases();
        Map<String, Boolean> streams = new LinkedHashMap<>();
        worker.streamNames().forEach(stream -> streams.put(stream, worker.isPaused(stream)));
        Long maxLag = held.stream().map(HeldLease::millisBehindLatest).filter(lag -> lag != null)
                .max(Long::compare).orElse(null);
        List<LeaseDescriptor> leases = held.stream()
                .sorted((a, b) -> a.leaseKey().compareTo(b.leaseKey()))
                .map(lease -> new LeaseDescriptor(lease.streamName(), lease.shardId(), lease.checkpoint(),
                        lease.millisBehindLatest(), lease.leaseCounter()))
                .toList();
        return new WorkerDescriptor(worker.applicationName(), worker.workerId(), worker.config().leaseTableName(),
                streams, worker.state().name(), worker.startedAt(), worker.lastRenewal(),
                worker.config().failoverTime().toString(), maxLag, leases, worker.shardFailures(),
                worker.deletedStreams());
    }

    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("application", application);
        map.put("workerId", workerId);
        map.put("leaseTable", leaseTable);
        map.put("streams", streams);
        map.put("state", state);
        map.put("lastRenewal", lastRenewal == null ? "never" : lastRenewal.toString());
        map.put("leasesHeld", leases.size());
        map.put("leases", leases);
        if (!shardFailures.isEmpty()) {
            map.put("shardFailures", shardFailures);
        }
        if (!deletedStreams.isEmpty()) {
            map.put("deletedStreams", deletedStreams);
        }
        return map;
    }
}
