package dev.kclboot.autoconfigure.aws;

import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;

/**
 * Adjusts the builder of the auto-configured {@code KinesisClient} (HTTP client, retry strategy, timeouts, metrics
 * publishers...) after the connection details were applied. Beans of this type are applied in order; with Spring
 * Cloud AWS, its {@code AwsSyncClientCustomizer} beans are applied first.
 */
@FunctionalInterface
public interface KinesisClientBuilderCustomizer {

    void customize(KinesisClientBuilder builder);
}
