package dev.kclboot.spring.listener.container;

import java.util.List;

import dev.kclboot.core.Worker;
import dev.kclboot.core.processor.RecordProcessorFactory;
import dev.kclboot.spring.listener.RetrievalMode;
import org.jspecify.annotations.Nullable;

/**
 * Builds the {@link Worker} of one application name. The auto-configuration's factory applies the {@code kcl.*}
 * properties and the SDK client beans; define your own bean to take over completely.
 */
@FunctionalInterface
public interface KinesisWorkerFactory {

    /**
     * Builds (does not start) a worker.
     * @param applicationName the application name (and lease table, unless configured otherwise)
     * @param streams the streams of the listeners with that application name, in registration order
     * @param processorFactory the listener containers' record processors
     * @return the worker
     * @throws IllegalArgumentException naming the setting that is invalid
     */
    Worker createWorker(String applicationName, List<String> streams, RecordProcessorFactory processorFactory);

    /**
     * Builds (does not start) a worker that reads as its listeners ask. By default the mode is left to
     * {@link #createWorker(String, List, RecordProcessorFactory)}: a factory of your own decides how its workers read.
     * @param retrieval the mode the listeners asked for, or null when they left it to the factory
     */
    default Worker createWorker(String applicationName, List<String> streams, RecordProcessorFactory processorFactory,
            @Nullable RetrievalMode retrieval) {
        return createWorker(applicationName, streams, processorFactory);
    }
}
