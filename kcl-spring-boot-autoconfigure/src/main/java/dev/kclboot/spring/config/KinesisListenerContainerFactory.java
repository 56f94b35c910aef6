package dev.kclboot.spring.config;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

import dev.kclboot.core.parallel.KeyOrderedProcessorFactory;
import dev.kclboot.spring.listener.CheckpointMode;
import dev.kclboot.spring.listener.DeliveryOptions;
import dev.kclboot.spring.listener.ExhaustedAction;
import dev.kclboot.spring.listener.container.KinesisListenerContainer;
import dev.kclboot.spring.listener.metrics.KinesisListenerMetrics;
import dev.kclboot.spring.listener.KinesisListenerSettings;
import dev.kclboot.spring.listener.KinesisMessageListener;
import dev.kclboot.spring.listener.KinesisRecordFilterStrategy;
import dev.kclboot.spring.listener.KinesisRecordRecoverer;
import dev.kclboot.spring.listener.recovery.LoggingRecordRecoverer;
import dev.kclboot.spring.listener.adapter.ListenerMethodAdapterFactory;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Makes listener containers from endpoints, filling in the settings an endpoint leaves open with this factory's
 * defaults (in a Boot application, the {@code kcl.*} properties). The defaults out of the box never drop a record:
 * BATCH checkpoints, unlimited attempts, exponential backoff from 1 s doubling to 30 s.
 */
public class KinesisListenerContainerFactory {

    private final ListenerMethodAdapterFactory adapterFactory;

    private @Nullable String applicationName;

    private @Nullable String stream;

    private boolean batch;

    private CheckpointMode checkpointMode = CheckpointMode.BATCH;

    private Duration checkpointInterval = Duration.ofSeconds(10);

    private boolean autoStartup = true;

    private int maxAttempts = KinesisListenerSettings.UNLIMITED_ATTEMPTS;

    private BackOff backOff = defaultBackOff();

    private ExhaustedAction exhaustedAction = ExhaustedAction.RECOVER;

    private KinesisRecordRecoverer recoverer = new LoggingRecordRecoverer();

    private KinesisListenerMetrics metrics = KinesisListenerMetrics.NONE;

    private boolean bisectOnError;

    private @Nullable Duration maxRecordAge;

    private @Nullable KinesisRecordFilterStrategy recordFilter;

    private int concurrency = 1;

    private @Nullable Integer window;

    private @Nullable Executor parallelExecutor;

    public KinesisListenerContainerFactory(ListenerMethodAdapterFactory adapterFactory) {
        this.adapterFactory = adapterFactory;
    }

    /**
     * Makes the container of an endpoint.
     * @throws MissingApplicationNameException when neither the endpoint nor this factory has an application name
     * @throws MissingStreamException when neither the endpoint nor this factory has a stream
     * @throws dev.kclboot.spring.listener.adapter.InvalidKinesisListenerMethodException when the endpoint's method
     * does not fit its settings
     * @throws IllegalArgumentException when the resolved settings do not fit together (a concurrency above 1 with
     * MANUAL checkpoints)
     */
    public KinesisListenerContainer createContainer(KinesisListenerEndpoint endpoint) {
        String application = firstText(endpoint.getApplicationName(), applicationName);
        if (application == null) {
            throw new MissingApplicationNameException(endpoint.describe());
        }
        String streamName = firstText(endpoint.getStream(), stream);
        if (streamName == null) {
            throw new MissingStreamException(endpoint.describe());
        }
        Integer attempts = endpoint.getMaxAttempts();
        KinesisListenerSettings settings = new KinesisListenerSettings(endpoint.getId(), application, streamName,
                first(endpoint.getBatch(), batch), first(endpoint.getCheckpointMode(), checkpointMode),
                first(endpoint.getCheckpointInterval(), checkpointInterval),
                first(endpoint.getAutoStartup(), autoStartup),
                (attempts == null) ? maxAttempts : toMaxAttempts(attempts), first(endpoint.getBackOff(), backOff),
                first(endpoint.getExhaustedAction(), exhaustedAction), first(endpoint.getRecoverer(), recoverer),
                endpoint.getRetrieval(), deliveryOptions(endpoint));
        KinesisMessageListener listener = endpoint.createListener(settings, adapterFactory);
        return new KinesisListenerContainer(settings, listener, metrics, parallelExecutor);
    }

    private DeliveryOptions deliveryOptions(KinesisListenerEndpoint endpoint) {
        Duration maxAge = (endpoint.getMaxRecordAge() != null) ? endpoint.getMaxRecordAge() : maxRecordAge;
        KinesisRecordFilterStrategy filter = (endpoint.getFilter() != null) ? endpoint.getFilter() : recordFilter;
        int parallel = first(endpoint.getConcurrency(), concurrency);
        Integer inFlight = (endpoint.getWindow() != null) ? endpoint.getWindow() : window;
        try {
            return new DeliveryOptions(first(endpoint.getBisectOnError(), bisectOnError), maxAge, filter, parallel,
                    (inFlight != null) ? inFlight : KeyOrderedProcessorFactory.defaultWindow(parallel));
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("Listener '" + endpoint.getId() + "' (" + endpoint.describe() + "): "
                    + ex.getMessage(), ex);
        }
    }

    /** The backoff used unless configured: exponential from 1 s, doubling, capped at 30 s, without end. */
    public static BackOff defaultBackOff() {
        ExponentialBackOff backOff = new ExponentialBackOff(1000, 2.0);
        backOff.setMaxInterval(30_000);
        return backOff;
    }

    /** {@code -1} (any negative number) means unlimited. */
    private static int toMaxAttempts(int attempts) {
        return (attempts < 0) ? KinesisListenerSettings.UNLIMITED_ATTEMPTS : attempts;
    }

    private static <T> T first(@Nullable T value, T fallback) {
        return (value != null) ? value : fallback;
    }

    private static @Nullable String firstText(@Nullable String value, @Nullable String fallback) {
        if (value != null && !value.isBlank()) {
            return value;
        }
        return (fallback != null && !fallback.isBlank()) ? fallback : null;
    }

    /** The application name of listeners that name none. */
    public void setApplicationName(@Nullable String applicationName) {
        this.applicationName = applicationName;
    }

    /** The stream of listeners that name none. */
    public void setStream(@Nullable String stream) {
        this.stream = stream;
    }

    /** Whether listeners receive batches unless they say otherwise (default false). */
    public void setBatch(boolean batch) {
        this.batch = batch;
    }

    public void setCheckpointMode(CheckpointMode checkpointMode) {
        this.checkpointMode = Objects.requireNonNull(checkpointMode, "checkpointMode");
    }

    /** The interval of {@link CheckpointMode#PERIODIC} (default 10 s). */
    public void setCheckpointInterval(Duration checkpointInterval) {
        this.checkpointInterval = Objects.requireNonNull(checkpointInterval, "checkpointInterval");
    }

    public void setAutoStartup(boolean autoStartup) {
        this.autoStartup = autoStartup;
    }

    /** How often a record is delivered before it counts as exhausted; {@code -1} for unlimited (the default). */
    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = toMaxAttempts(maxAttempts);
    }

    public void setBackOff(BackOff backOff) {
        this.backOff = Objects.requireNonNull(backOff, "backOff");
    }

    public void setExhaustedAction(ExhaustedAction exhaustedAction) {
        this.exhaustedAction = Objects.requireNonNull(exhaustedAction, "exhaustedAction");
    }

    /** The recoverer of listeners that name none (default: log and skip). */
    public void setRecoverer(KinesisRecordRecoverer recoverer) {
        this.recoverer = Objects.requireNonNull(recoverer, "recoverer");
    }

    /** Whether batch listeners that say nothing split a failing batch in halves (default false). */
    public void setBisectOnError(boolean bisectOnError) {
        this.bisectOnError = bisectOnError;
    }

    /** The maximum record age of listeners that set none; null (the default) for no limit. */
    public void setMaxRecordAge(@Nullable Duration maxRecordAge) {
        this.maxRecordAge = maxRecordAge;
    }

    /** The filter of listeners that set none; null (the default) delivers every record. */
    public void setRecordFilterStrategy(@Nullable KinesisRecordFilterStrategy recordFilter) {
        this.recordFilter = recordFilter;
    }

    /**
     * How many records of different partition keys of one shard are delivered at once by listeners that set none
     * (default 1: one record or batch at a time).
     */
    public void setConcurrency(int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
        }
        this.concurrency = concurrency;
    }

    /**
     * The most records of a shard in flight with a concurrency above 1, for listeners that set none; null (the
     * default) for max(100, 10 × concurrency).
     */
    public void setWindow(@Nullable Integer window) {
        if (window != null && window < 1) {
            throw new IllegalArgumentException("window must be at least 1, was " + window);
        }
        this.window = window;
    }

    /**
     * Runs the listener calls of containers with a concurrency above 1 (for example virtual threads); null (the
     * default) runs them on each container's own daemon threads. Not shut down by the containers.
     */
    public void setParallelExecutor(@Nullable Executor parallelExecutor) {
        this.parallelExecutor = parallelExecutor;
    }

    /**
     * Where the containers' meters go (retries, recovered records, listener failures; see
     * {@link KinesisListenerMetrics}); null (the default) records none.
     */
    public void setMeterRegistry(@Nullable MeterRegistry meterRegistry) {
        this.metrics = (meterRegistry != null) ? new KinesisListenerMetrics(meterRegistry) : KinesisListenerMetrics.NONE;
    }
}
