package dev.kclboot.autoconfigure.aws;

import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * Adjusts the builder of the auto-configured {@code DynamoDbClient} (the lease table's) after the connection details
 * were applied. Beans of this type are applied in order; with Spring Cloud AWS, its {@code AwsSyncClientCustomizer}
 * beans are applied first (and when Spring Cloud AWS defines the {@code DynamoDbClient} itself, its
 * {@code DynamoDbClientCustomizer} beans apply instead).
 */
@FunctionalInterface
public interface DynamoDbClientBuilderCustomizer {

    void customize(DynamoDbClientBuilder builder);
}
