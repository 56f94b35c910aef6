package dev.kclboot.spring.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import dev.kclboot.core.Worker;
import dev.kclboot.spring.listener.container.KinesisListenerContainer;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code kinesis} actuator endpoint (read only): every worker of the application with its state, last lease
 * renewal, paused streams, the leases it holds with their checkpoints, and the lag of each shard; and every listener
 * with its state (running, paused, blocked, stopped, or failed and why) and its shards (current record, attempts,
 * iterator age).
 * {@code /actuator/kinesis/{application}} narrows to one application name. Built from local state: no AWS call.
 */
@Endpoint(id = "kinesis")
public class KinesisEndpoint {

    private final Supplier<List<Worker>> workers;

    private final Supplier<List<KinesisListenerContainer>> listeners;

    private final Duration blockedAfter;

    public KinesisEndpoint(Supplier<List<Worker>> workers) {
        this(workers, List::of);
    }

    public KinesisEndpoint(Supplier<List<Worker>> workers, Supplier<List<KinesisListenerContainer>> listeners) {
        this(workers, listeners, KinesisHealthIndicator.DEFAULT_BLOCKED_AFTER);
    }

    /**
     * @param workers the workers running now
     * @param listeners the listener containers
     * @param blockedAfter when a shard whose record keeps failing counts as blocked ({@code kcl.health.blocked-after})
     */
    public KinesisEndpoint(Supplier<List<Worker>> workers, Supplier<List<KinesisListenerContainer>> listeners,
            Duration blockedAfter) {
        this.workers = workers;
        this.listeners = listeners;
        this.blockedAfter = blockedAfter;
    }

    /** Every worker and listener of this application. */
    @ReadOperation
    public KinesisDescriptor workers() {
        return new KinesisDescriptor(workers.get().stream().map(WorkerDescriptor::of).toList(),
                listeners.get().stream().map(this::describe).toList());
    }

    /** The workers and listeners of one application name, or null (404) when there is none. */
    @ReadOperation
    public @Nullable KinesisDescriptor application(@Selector String application) {
        List<WorkerDescriptor> matching = workers.get().stream()
                .filter(worker -> worker.applicationName().equals(application)).map(WorkerDescriptor::of).toList();
        List<ListenerDescriptor> matchingListeners = listeners.get().stream().map(this::describe)
                .filter(listener -> listener.application().equals(application)).toList();
        return (matching.isEmpty() && matchingListeners.isEmpty()) ? null
                : new KinesisDescriptor(matching, matchingListeners);
    }

    private ListenerDescriptor describe(KinesisListenerContainer container) {
        return ListenerDescriptor.of(container, blockedAfter, Instant.now());
    }

    /**
     * The endpoint's answer.
     * @param workers one entry per running worker
     * @param listeners one entry per listener
     */
    public record KinesisDescriptor(List<WorkerDescriptor> workers, List<ListenerDescriptor> listeners) {
    }
}
