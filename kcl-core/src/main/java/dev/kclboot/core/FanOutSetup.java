package dev.kclboot.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

import dev.kclboot.core.fanout.ConsumerRegistrar;
import dev.kclboot.core.fanout.ConsumerRegistrationException;
import dev.kclboot.core.fanout.FanOutContext;
import dev.kclboot.core.fanout.FanOutReaderFactory;
import dev.kclboot.core.fetch.ShardReaderFactory;
import dev.kclboot.core.metrics.EngineMetrics;
import dev.kclboot.core.stream.StreamRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enhanced fan-out for one worker: at start, the stream consumer of every stream (found, or registered, and ACTIVE)
 * so that a missing permission fails the start naming the action; then the readers; at a graceful shutdown, the
 * consumers' deregistration when asked for.
 */
final class FanOutSetup {

    private static final Logger logger = LoggerFactory.getLogger(FanOutSetup.class);

    private final WorkerConfig config;

    private final Retrieval.FanOut fanOut;

    private final List<StreamRef> streams;

    private final ConsumerRegistrar registrar;

    private final Map<String, String> consumerArns = new LinkedHashMap<>();

    FanOutSetup(WorkerConfig config, Retrieval.FanOut fanOut, List<StreamRef> streams) {
        this.config = config;
        this.fanOut = fanOut;
        this.streams = streams;
        this.registrar = new ConsumerRegistrar(fanOut.client(), config.startupRetryTimeout());
    }

    /** The consumer name used when none is configured: the application name, as the KCL does. */
    String consumerName() {
        String name = fanOut.consumerName();
        return name != null ? name : config.applicationName();
    }

    /** @throws WorkerStartException naming the stream, the consumer and the action that failed */
    void start() {
        for (StreamRef stream : streams) {
            try {
                String given = fanOut.consumerArn();
                String arn = (given != null) ? registrar.await(stream, given) : registrar.register(stream, consumerName());
                consumerArns.put(stream.streamName(), arn);
                logger.info("Worker {} reads stream {} with enhanced fan-out through consumer {}", config.workerId(),
                        stream, arn);
            }
            catch (ConsumerRegistrationException ex) {
                throw new WorkerStartException("Enhanced fan-out cannot start on stream '" + stream.nameOrArn()
                        + "': " + ex.getMessage(), ex);
            }
        }
    }

    ShardReaderFactory readers(Executor converting, ScheduledExecutorService timer, EngineMetrics metrics) {
        return new FanOutReaderFactory(new FanOutContext(fanOut.client(), config.kinesis(), converting, timer, metrics,
                config.initialPosition(), fanOut.shardEndProbeInterval()), consumerArns);
    }

    /** Deregisters the consumers when configured to (after the leases were released). */
    void shutdown() {
        if (!fanOut.deregisterOnShutdown()) {
            return;
        }
        for (StreamRef stream : streams) {
            String arn = consumerArns.get(stream.streamName());
            if (arn == null) {
                continue;
            }
            try {
                registrar.deregister(stream, arn);
            }
            catch (ConsumerRegistrationException ex) {
                logger.warn("Could not deregister stream consumer {}: {}", arn, ex.getMessage());
            }
        }
    }
}
