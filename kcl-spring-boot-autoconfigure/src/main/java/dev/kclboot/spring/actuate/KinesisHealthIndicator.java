package dev.kclboot.spring.actuate;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.kclboot.core.Worker;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code kinesis} health indicator: UP while every worker runs and renews its leases, DOWN when one has failed
 * or has not renewed for longer than the failover time. Details per worker: application, streams, worker id, state,
 * last renewal and the leases held (shard, checkpoint, millisBehindLatest). Reads local state only: a health check
 * never calls Kinesis or DynamoDB.
 */
public class KinesisHealthIndicator extends AbstractHealthIndicator {

    private final Supplier<List<Worker>> workers;

    private final Clock clock;

    public KinesisHealthIndicator(Supplier<List<Worker>> workers) {
        this(workers, Clock.systemUTC());
    }

    KinesisHealthIndicator(Supplier<List<Worker>> workers, Clock clock) {
        super("Kinesis health check failed");
        this.workers = workers;
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
        (healthy ? builder.up() : builder.down()).withDetail("workers", details);
    }
}
