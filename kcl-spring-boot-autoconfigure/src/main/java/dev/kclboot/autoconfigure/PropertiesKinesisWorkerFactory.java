package dev.kclboot.autoconfigure;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import dev.kclboot.core.Retrieval;
import dev.kclboot.core.Worker;
import dev.kclboot.core.processor.RecordProcessorFactory;
import dev.kclboot.core.stream.InitialPosition;
import dev.kclboot.spring.listener.container.KinesisWorkerFactory;
import dev.kclboot.spring.listener.RetrievalMode;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Builds workers from the {@code kcl.*} properties, the SDK client beans, the meter registry when there is one, and
 * the {@link KinesisWorkerCustomizer} beans; enhanced fan-out when {@code kcl.retrieval.mode} or the listeners ask
 * for it. A failed batch is never skipped (the engine's KCL-compatible
 * {@code skipFailedBatches} stays off): the listener container decides about every record.
 */
final class PropertiesKinesisWorkerFactory implements KinesisWorkerFactory {

    private final KclProperties properties;

    private final @Nullable String defaultApplicationName;

    private final KinesisClient kinesis;

    private final DynamoDbClient dynamoDb;

    private final @Nullable MeterRegistry meterRegistry;

    private final List<KinesisWorkerCustomizer> customizers;

    private final @Nullable Executor executor;

    private final Supplier<@Nullable KinesisAsyncClient> asyncClient;

    private final Supplier<@Nullable KinesisAsyncClient> asyncReads;

    private final Supplier<@Nullable DynamoDbAsyncClient> asyncDynamoDb;

    /**
     * @param executor runs the workers' listener calls and reads instead of their bounded pools (virtual threads when
     * {@code spring.threads.virtual.enabled}), or null
     * @param asyncClient the client of enhanced fan-out, asked for only when a worker uses it (null when there is
     * none: no HTTP/2 client on the class path and no bean)
     * @param asyncReads the client of polling's reads with {@code kcl.client.async-io} (null: the sync client's)
     * @param asyncDynamoDb the client of renewals and takes with {@code kcl.client.async-io} (null: the sync
     * client's); both asked for only then
     */
    PropertiesKinesisWorkerFactory(KclProperties properties, @Nullable String defaultApplicationName,
            KinesisClient kinesis, DynamoDbClient dynamoDb, @Nullable MeterRegistry meterRegistry,
            List<KinesisWorkerCustomizer> customizers, @Nullable Executor executor,
            Supplier<@Nullable KinesisAsyncClient> asyncClient, Supplier<@Nullable KinesisAsyncClient> asyncReads,
            Supplier<@Nullable DynamoDbAsyncClient> asyncDynamoDb) {
        this.executor = executor;
        this.asyncReads = asyncReads;
        this.asyncDynamoDb = asyncDynamoDb;
        this.properties = properties;
        this.defaultApplicationName = defaultApplicationName;
        this.kinesis = kinesis;
        this.dynamoDb = dynamoDb;
        this.meterRegistry = meterRegistry;
        this.customizers = customizers;
        this.asyncClient = asyncClient;
    }

    @Override
    public Worker createWorker(String applicationName, List<String> streams, RecordProcessorFactory processorFactory) {
        return createWorker(applicationName, streams, processorFactory, null);
    }

    @Override
    public Worker createWorker(String applicationName, List<String> streams, RecordProcessorFactory processorFactory,
            @Nullable RetrievalMode retrieval) {
        KclProperties.Lease lease = properties.getLease();
        KclProperties.Retry.Backoff backoff = properties.getRetry().getBackoff();
        Worker.Builder builder = Worker.builder()
                .applicationName(applicationName)
                .streams(streams)
                .kinesisClient(kinesis)
                .dynamoDbClient(dynamoDb)
                .recordProcessorFactory(processorFactory)
                .initialPosition(initialPosition())
                .failoverTime(lease.getFailoverTime())
                .maxLeasesToStealAtOneTime(lease.getMaxLeasesToSteal())
                .billingMode(BillingMode.fromValue(lease.getBillingMode().name()))
                .maxRecords(properties.getPolling().getMaxRecords())
                .idleTimeBetweenReads(properties.getPolling().getIdleTimeBetweenReads())
                .shardSyncInterval(properties.getShardSyncInterval())
                .processingRetryBackoff(backoff.getInitialInterval(), backoff.getMaxInterval())
                .skipFailedBatches(false)
                .leaseCleanupInterval(lease.getCleanupInterval())
                .multiStreamLeaseKeys(lease.getMultiStreamKeys())
                .kcl3LeaseOwnerIndex(lease.isCreateKcl3Index())
                .startupRetryTimeout(properties.getStartupRetryTimeout())
                .consumerFailureBackoff(properties.getConsumer().getFailureBackoff().getInitialInterval(),
                        properties.getConsumer().getFailureBackoff().getMaxInterval())
                .maxConsumerThreads(properties.getConsumer().getMaxThreads())
                .maxReadAheadBytes(properties.getConsumer().getMaxReadAhead().toBytes())
                .executor(executor)
                .meterRegistry(meterRegistry);
        if (lease.getMaxLeasesPerWorker() != null) {
            builder.maxLeasesPerWorker(lease.getMaxLeasesPerWorker());
        }
        if (lease.getTableName() != null && applicationName.equals(defaultApplicationName)) {
            builder.leaseTableName(lease.getTableName());
        }
        if (properties.getWorkerId() != null) {
            builder.workerId(properties.getWorkerId());
        }
        RetrievalMode mode = (retrieval != null) ? retrieval : properties.getRetrieval().getMode();
        if (mode == RetrievalMode.FAN_OUT) {
            builder.retrieval(fanOut(applicationName));
        }
        if (properties.getClient().isAsyncIo()) {
            if (mode != RetrievalMode.FAN_OUT) {
                builder.kinesisAsyncClient(asyncReads.get());
            }
            builder.dynamoDbAsyncClient(asyncDynamoDb.get());
        }
        for (KinesisWorkerCustomizer customizer : customizers) {
            customizer.customize(applicationName, builder);
        }
        return builder.build();
    }

    private Retrieval.FanOut fanOut(String applicationName) {
        KinesisAsyncClient client = asyncClient.get();
        if (client == null) {
            throw new IllegalStateException("Enhanced fan-out (kcl.retrieval.mode=fan-out) of application '"
                    + applicationName + "' needs an HTTP/2 client: add software.amazon.awssdk:netty-nio-client (the "
                    + "starter brings it) or define a KinesisAsyncClient bean");
        }
        KclProperties.Retrieval settings = properties.getRetrieval();
        Retrieval.FanOut fanOut = Retrieval.fanOut(client).withConsumerName(settings.getConsumerName())
                .withDeregisterOnShutdown(settings.isDeregisterOnShutdown())
                .withShardEndProbeInterval(settings.getShardEndProbeInterval());
        // Like the lease table name, a configured consumer ARN belongs to the default application's listeners.
        if (settings.getConsumerArn() != null && applicationName.equals(defaultApplicationName)) {
            fanOut = fanOut.withConsumerArn(settings.getConsumerArn());
        }
        return fanOut;
    }

    private InitialPosition initialPosition() {
        return switch (properties.getInitialPosition()) {
            case TRIM_HORIZON -> InitialPosition.trimHorizon();
            case LATEST -> InitialPosition.latest();
            case AT_TIMESTAMP -> InitialPosition.atTimestamp(java.util.Objects.requireNonNull(
                    properties.getInitialTimestamp(), "kcl.initial-timestamp"));
        };
    }
}
