package dev.kclboot.multilang.processor;

import java.time.Duration;

import dev.kclboot.core.processor.RecordProcessor;
import dev.kclboot.core.processor.RecordProcessorFactory;
import dev.kclboot.multilang.child.ChildLauncher;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Makes one {@link MultiLangShardProcessor} (and so one child process) per lease tenure, as the daemon's factory
 * does; a re-acquired lease gets a fresh child.
 */
public final class MultiLangProcessorFactory implements RecordProcessorFactory {

    private static final Duration EXIT_WAIT = Duration.ofSeconds(5);

    private final ShardProcessorContext context;

    /**
     * @param launcher starts the children
     * @param registry for the host's meters
     * @param application the application name (meter tag)
     * @param timeout how long a child may take to answer, null for no limit
     */
    public MultiLangProcessorFactory(ChildLauncher launcher, MeterRegistry registry, String application,
            @Nullable Duration timeout) {
        LiveChildren children = new LiveChildren();
        this.context = new ShardProcessorContext(launcher, new ChildStarts(), children,
                new ChildMetrics(registry, application, children), timeout, EXIT_WAIT);
    }

    @Override
    public RecordProcessor create(String streamName) {
        return new MultiLangShardProcessor(context);
    }

    /** The children running now. */
    public LiveChildren children() {
        return context.children();
    }

    /** Starts no further child: the host is stopping. */
    public void stopStartingChildren() {
        context.starts().stop();
    }
}
