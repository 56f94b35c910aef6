package dev.kclboot.multilang.processor;

import java.time.Duration;

import dev.kclboot.core.processor.RecordProcessor;
import dev.kclboot.core.processor.RecordProcessorFactory;
import dev.kclboot.multilang.child.ChildLauncher;
import dev.kclboot.multilang.lease.LeaseLookup;
import dev.kclboot.multilang.lease.LeaseReleaser;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Makes one {@link MultiLangShardProcessor} (and so one child process) per lease tenure, as the daemon's factory
 * does; a re-acquired lease gets a fresh child.
 */
public final class MultiLangProcessorFactory implements RecordProcessorFactory {

    private static final Duration EXIT_WAIT = Duration.ofSeconds(5);

    private final ShardProcessorContext context;

    private final ShardRestartBackoff backoff;

    private final LiveChildren children;

    /**
     * @param launcher starts the children
     * @param leases reads checkpoints and lag
     * @param releaser gives up the lease of a failed child's shard
     * @param registry for the host's meters
     * @param application the application name (meter tag)
     * @param timeout how long a child may take to answer, null for no limit
     * @param failoverTime the engine's failover time, bounding the wait for a released lease to be seen as lost
     */
    public MultiLangProcessorFactory(ChildLauncher launcher, LeaseLookup leases, LeaseReleaser releaser,
            MeterRegistry registry, String application, @Nullable Duration timeout, Duration failoverTime) {
        this.backoff = new ShardRestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
        this.children = new LiveChildren(backoff);
        ChildMetrics metrics = new ChildMetrics(registry, application, children);
        this.context = new ShardProcessorContext(launcher, leases, releaser, backoff, children, metrics, timeout,
                failoverTime.plusSeconds(5), EXIT_WAIT);
    }

    @Override
    public RecordProcessor create(String streamName) {
        return new MultiLangShardProcessor(context);
    }

    /** The children running now. */
    public LiveChildren children() {
        return children;
    }

    /** Starts no further child: the host is stopping. */
    public void stopStartingChildren() {
        backoff.stop();
    }
}
