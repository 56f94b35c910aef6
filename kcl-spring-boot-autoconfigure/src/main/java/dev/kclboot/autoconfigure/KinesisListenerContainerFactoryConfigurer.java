package dev.kclboot.autoconfigure;

import java.util.concurrent.Executor;

import dev.kclboot.spring.config.KinesisListenerContainerFactory;
import dev.kclboot.spring.listener.KinesisRecordRecoverer;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Applies the {@code kcl.*} defaults to a {@link KinesisListenerContainerFactory}; use it to build your own factory
 * bean with the same defaults.
 */
public final class KinesisListenerContainerFactoryConfigurer {

    private final KclProperties properties;

    private final @Nullable String defaultApplicationName;

    private final @Nullable KinesisRecordRecoverer recoverer;

    private final @Nullable MeterRegistry meterRegistry;

    private final @Nullable Executor listenerExecutor;

    KinesisListenerContainerFactoryConfigurer(KclProperties properties, @Nullable String defaultApplicationName,
            @Nullable KinesisRecordRecoverer recoverer, @Nullable MeterRegistry meterRegistry,
            @Nullable Executor listenerExecutor) {
        this.properties = properties;
        this.defaultApplicationName = defaultApplicationName;
        this.recoverer = recoverer;
        this.meterRegistry = meterRegistry;
        this.listenerExecutor = listenerExecutor;
    }

    /**
     * Sets the defaults of the factory from the properties, the application's recoverer bean and its meter registry
     * (and virtual threads for concurrent listeners with {@code spring.threads.virtual.enabled}).
     */
    public void configure(KinesisListenerContainerFactory factory) {
        factory.setApplicationName(defaultApplicationName);
        factory.setStream(properties.getStream());
        factory.setAutoStartup(properties.isAutoStartup());
        factory.setCheckpointMode(properties.getCheckpoint().getMode());
        factory.setCheckpointInterval(properties.getCheckpoint().getInterval());
        KclProperties.Retry retry = properties.getRetry();
        factory.setMaxAttempts((retry.getMaxAttempts() != null) ? retry.getMaxAttempts() : -1);
        factory.setExhaustedAction(retry.getOnExhausted());
        ExponentialBackOff backOff = new ExponentialBackOff(retry.getBackoff().getInitialInterval().toMillis(),
                retry.getBackoff().getMultiplier());
        backOff.setMaxInterval(retry.getBackoff().getMaxInterval().toMillis());
        factory.setBackOff(backOff);
        factory.setBisectOnError(retry.isBisectOnError());
        factory.setMaxRecordAge(retry.getMaxRecordAge());
        factory.setConcurrency(properties.getListener().getConcurrency());
        factory.setWindow(properties.getListener().getWindow());
        factory.setParallelExecutor(listenerExecutor);
        if (recoverer != null) {
            factory.setRecoverer(recoverer);
        }
        factory.setMeterRegistry(meterRegistry);
    }
}
