package dev.kclboot.spring.actuate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import java.util.Map;

import dev.kclboot.core.ShardFailure;
import dev.kclboot.core.Worker;
import dev.kclboot.core.WorkerState;
import org.jspecify.annotations.Nullable;

/**
 * Judges one worker from its local state: healthy while it runs and renews its leases; unhealthy when it failed,
 * when no renewal round succeeded for longer than the failover time (DynamoDB unreachable: by then peers may take
 * its leases), when one of its streams was deleted, or when a shard's consumer has kept failing for longer than the
 * failover time (the shard cannot progress here). A worker that was just started has one failover time of grace
 * before its first renewal.
 * @param healthy whether the worker counts as UP
 * @param reason why not, or null when healthy
 */
record WorkerHealth(boolean healthy, @Nullable String reason) {

    static WorkerHealth of(Worker worker, Clock clock) {
        WorkerState state = worker.state();
        if (state == WorkerState.FAILED) {
            Throwable failure = worker.failure();
            return new WorkerHealth(false, "worker failed" + (failure == null ? "" : ": " + failure.getMessage()));
        }
        if (state != WorkerState.RUNNING) {
            return new WorkerHealth(true, null);
        }
        Duration failover = worker.config().failoverTime();
        Instant now = clock.instant();
        Instant lastRenewal = worker.lastRenewal();
        Instant reference = lastRenewal != null ? lastRenewal : worker.startedAt();
        if (reference != null && Duration.between(reference, now).compareTo(failover) > 0) {
            return new WorkerHealth(false, lastRenewal == null ? "no lease renewal since the start, " + failover
                    + " ago or more" : "leases not renewed since " + lastRenewal + " (failover time " + failover + ")");
        }
        Map<String, Instant> deleted = worker.deletedStreams();
        if (!deleted.isEmpty()) {
            return new WorkerHealth(false, "stream " + String.join(", ", deleted.keySet()) + " was deleted (found at "
                    + deleted.values().stream().min(Instant::compareTo).orElseThrow() + ")");
        }
        for (ShardFailure failure : worker.shardFailures()) {
            if (Duration.between(failure.since(), now).compareTo(failover) > 0) {
                return new WorkerHealth(false, "shard " + failure.shardId() + " of stream " + failure.streamName()
                        + " has failed " + failure.failures() + " times since " + failure.since() + ": "
                        + failure.error());
            }
        }
        return new WorkerHealth(true, null);
    }
}
