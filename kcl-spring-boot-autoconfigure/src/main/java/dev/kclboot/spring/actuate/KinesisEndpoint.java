package dev.kclboot.spring.actuate;

import java.util.List;
import java.util.function.Supplier;

import dev.kclboot.core.Worker;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code kinesis} actuator endpoint (read only): every worker of the application with its state, last lease
 * renewal, paused streams, the leases it holds with their checkpoints, and the lag of each shard.
 * {@code /actuator/kinesis/{application}} narrows to one application name. Built from local state: no AWS call.
 */
@Endpoint(id = "kinesis")
public class KinesisEndpoint {

    private final Supplier<List<Worker>> workers;

    public KinesisEndpoint(Supplier<List<Worker>> workers) {
        this.workers = workers;
    }

    /** Every worker of this application. */
    @ReadOperation
    public KinesisDescriptor workers() {
        return new KinesisDescriptor(workers.get().stream().map(WorkerDescriptor::of).toList());
    }

    /** The workers of one application name, or null (404) when there is none. */
    @ReadOperation
    public @Nullable KinesisDescriptor application(@Selector String application) {
        List<WorkerDescriptor> matching = workers.get().stream()
                .filter(worker -> worker.applicationName().equals(application)).map(WorkerDescriptor::of).toList();
        return matching.isEmpty() ? null : new KinesisDescriptor(matching);
    }

    /**
     * The endpoint's answer.
     * @param workers one entry per worker
     */
    public record KinesisDescriptor(List<WorkerDescriptor> workers) {
    }
}
