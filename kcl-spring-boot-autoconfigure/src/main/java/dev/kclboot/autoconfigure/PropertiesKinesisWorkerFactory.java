package dev.kclboot.autoconfigure;

import java.util.List;
import java.util.concurrent.Executor;

import dev.kclboot.core.Worker;
import dev.kclboot.core.processor.RecordProcessorFactory;
import dev.kclboot.core.stream.InitialPosition;
import dev.kclboot.spring.listener.KinesisWorkerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Builds workers from the {@code kcl.*} properties, the SDK client beans, the meter registry when there is one, and
 * the {@link KinesisWorkerCustomizer} beans. A failed batch is never skipped (the engine's KCL-compatible
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

    /**
     * @param executor runs the workers' listener calls and reads instead of their bounded pools (virtual threads when
     * {@code spring.threads.virtual.enabled}), or null
     */
    PropertiesKinesisWorkerFactory(KclProperties properties, @Nullable String defaultApplicationName,
            KinesisClient kinesis, DynamoDbClient dynamoDb, @Nullable MeterRegistry meterRegistry,
            List<KinesisWorkerCustomizer> customizers, @Nullable Executor executor) {
        this.executor = executor;
        this.properties = properties;
        this.defaultApplicationName = defaultApplicationName;
        this.kinesis = kinesis;
        this.dynamoDb = dynamoDb;
        this.meterRegistry = meterRegistry;
        this.customizers = customizers;
    }

    @Override
    public Worker createWorker(String applicationName, List<String> streams, RecordProcessorFactory processorFactory) {
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
        for (KinesisWorkerCustomizer customizer : customizers) {
            customizer.customize(applicationName, builder);
        }
        return builder.build();
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
