package dev.kclboot.multilang.host;

import java.time.Duration;

import dev.kclboot.multilang.config.MultiLangSettings;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;

/**
 * The Kinesis and DynamoDB clients of a host, from its settings (region, endpoint overrides, credentials); closed
 * with the host.
 * @param kinesis the Kinesis client
 * @param dynamoDb the DynamoDB client
 */
record AwsClients(KinesisClient kinesis, DynamoDbClient dynamoDb) implements AutoCloseable {

    static AwsClients of(MultiLangSettings settings) {
        KinesisClientBuilder kinesis = KinesisClient.builder().region(settings.region())
                .credentialsProvider(settings.kinesisCredentials())
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(256)
                        .connectionTimeout(Duration.ofSeconds(5)));
        if (settings.kinesisEndpoint() != null) {
            kinesis.endpointOverride(settings.kinesisEndpoint());
        }
        DynamoDbClientBuilder dynamoDb = DynamoDbClient.builder().region(settings.region())
                .credentialsProvider(settings.dynamoDbCredentials())
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(256)
                        .connectionTimeout(Duration.ofSeconds(5)));
        if (settings.dynamoDbEndpoint() != null) {
            dynamoDb.endpointOverride(settings.dynamoDbEndpoint());
        }
        return new AwsClients(kinesis.build(), dynamoDb.build());
    }

    @Override
    public void close() {
        kinesis.close();
        dynamoDb.close();
    }
}
