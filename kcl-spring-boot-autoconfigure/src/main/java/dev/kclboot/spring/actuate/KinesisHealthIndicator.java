package dev.kclboot.spring.actuate;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.kclboot.core.Worker;
import dev.kclboot.spring.listener.container.KinesisListenerContainer;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code kinesis} health indicator: UP while every worker runs and renews its leases, DOWN when one has failed,
 * has not renewed for longer than the failover time (DynamoDB unreachable), when a listener stopped itself because
 * a record failed every attempt ({@code onExhausted = STOP}), or while a shard is blocked: its current record has
 * failed for longer than {@code blockedAfter} ({@code kcl.health.blocked-after}), or one listener call has run for
 * longer than that. A listener stopped on purpose is not a problem. Details per worker: application, streams, worker
 * id, state, last renewal and the leases held (shard, checkpoint, millisBehindLatest); per listener: application,
 * stream, state, the problem and the blocked shards (sequence number, attempts, failing since, last exception,
 * iterator age). Reads local state only: a health check never calls Kinesis or DynamoDB.
 */
public class KinesisHealthIndicator extends AbstractHealthIndicator {

    private final Supplier<List<Worker>> workers;

    private final Supplier<List<KinesisListenerContainer>> listeners;

    private final Duration blockedAfter;

    private final Clock clock;

    public KinesisHealthIndicator(Supplier<List<Worker>> workers) {
        this(workers, List::of);
    }

    public KinesisHealthIndicator(Supplier<List<Worker>> workers,
            Supplier<List<KinesisListenerContainer>> listeners) {
        this(workers, listeners, DEFAULT_BLOCKED_AFTER);
    }

    /**
     * @param workers the workers running now
     * @param listeners the listener containers
     * @param blockedAfter how long a record may keep failing (or a call run) before its shard counts as blocked
     */
    public KinesisHealthIndicator(Supplier<List<Worker>> workers, Supplier<List<KinesisListenerContainer>> listeners,
            Duration blockedAfter) {
        this(workers, listeners, blockedAfter, Clock.systemUTC());
    }

    KinesisHealthIndicator(Supplier<List<Worker>> workers, Supplier<List<KinesisListenerContainer>> listeners,
            Duration blockedAfter, Clock clock) {
        super("Kinesis health check failed");
        this.workers = workers;
        this.listeners = listeners;
        this.blockedAfter = blockedAfter;
        this.clock = clock;
    }

    /** The default of {@code kcl.health.blocked-after}. */
    public static final Duration DEFAULT_BLOCKED_AFTER = Duration.ofMinutes(5);

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean healthy = true;
        Map<String, Object> details = new LinkedHashMap<>();
        for (Worker worker : workers.get()) {
            WorkerHealth health = WorkerHealth.of(worker, clock);
            healthy &= health.healthy();
            Map<String, Object> workerDetails = new LinkedHashMap<>(WorkerDescriptor.of(worker).toMap());
            if (health.reason() != null) {
                workerDetails.put("problem", health.reason());
            }
            details.put(worker.applicationName() + "/" + worker.workerId(), workerDetails);
        }
        Map<String, Object> listenerDetails = new LinkedHashMap<>();
        for (KinesisListenerContainer container : listeners.get()) {
            ListenerDescriptor listener = ListenerDescriptor.of(container, blockedAfter, clock.instant());
            healthy &= !listener.unhealthy();
            listenerDetails.put(listener.id(), listener.toMap());
        }
        (healthy ? builder.up() : builder.down()).withDetail("workers", details);
        if (!listenerDetails.isEmpty()) {
            builder.withDetail("listeners", listenerDetails);
        }
    }
}
