package dev.kclboot.multilang.processor;

import dev.kclboot.multilang.child.ChildFailedException.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The host's own meters, beside the engine's: {@code kcl.multilang.children.started} (counter),
 * {@code kcl.multilang.children.failed} (counter, tags {@code shard} and {@code reason}: start-failed, exited,
 * timed-out, protocol-violation, io-error) and {@code kcl.multilang.children.running} (gauge). Tag
 * {@code application} on each.
 */
final class ChildMetrics {

    static final String STARTED = "kcl.multilang.children.started";

    static final String FAILED = "kcl.multilang.children.failed";

    static final String RUNNING = "kcl.multilang.children.running";

    private final MeterRegistry registry;

    private final String application;

    private final Counter started;

    ChildMetrics(MeterRegistry registry, String application, LiveChildren children) {
        this.registry = registry;
        this.application = application;
        this.started = Counter.builder(STARTED).tag("application", application)
                .description("Record processor child processes started").register(registry);
        Gauge.builder(RUNNING, children, LiveChildren::count).tag("application", application)
                .description("Record processor child processes running").register(registry);
    }

    void started() {
        started.increment();
    }

    void failed(String shardId, Reason reason) {
        Counter.builder(FAILED).tag("application", application).tag("shard", shardId).tag("reason", reason.tag())
                .description("Record processor children that failed (their shard restarted from its checkpoint)")
                .register(registry).increment();
    }
}
