package dev.kclboot.spring.actuate;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.kclboot.core.Worker;
import dev.kclboot.spring.listener.KinesisListenerContainer;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code kinesis} health indicator: UP while every worker runs and renews its leases, DOWN when one has failed,
 * has not renewed for longer than the failover time (DynamoDB unreachable), or when a listener stopped itself because
 * a record failed every attempt ({@code onExhausted = STOP}). A listener stopped on purpose is not a problem. Details
 * per worker: application, streams, worker id, state, last renewal and the leases held (shard, checkpoint,
 * millisBehindLatest); per listener: application, stream, state and the problem. Reads local state only: a health
 * check never calls Kinesis or DynamoDB.
 */
public class KinesisHealthIndicator extends AbstractHealthIndicator {

    private final Supplier<List<Worker>> workers;

    private final Supplier<List<KinesisListenerContainer>> listeners;

    private final Clock clock;

    public KinesisHealthIndicator(Supplier<List<Worker>> workers) {
        this(workers, List::of);
    }

    /**
     * @param workers the workers running now
     * @param listeners the listener containers
     */
    public KinesisHealthIndicator(Supplier<List<Worker>> workers,
            Supplier<List<KinesisListenerContainer>> listeners) {
        this(workers, listeners, Clock.systemUTC());
    }

    KinesisHealthIndicator(Supplier<List<Worker>> workers, Supplier<List<KinesisListenerContainer>> listeners,
            Clock clock) {
        super("Kinesis health check failed");
        this.workers = workers;
        this.listeners = listeners;
        this.clock = clock;
    }

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
            ListenerDescriptor listener = ListenerDescriptor.of(container);
            healthy &= !listener.failed();
            listenerDetails.put(listener.id(), listener.toMap());
        }
        (healthy ? builder.up() : builder.down()).withDetail("workers", details);
        if (!listenerDetails.isEmpty()) {
            builder.withDetail("listeners", listenerDetails);
        }
    }
}
