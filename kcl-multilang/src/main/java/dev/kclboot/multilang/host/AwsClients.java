package dev.kclboot.multilang.host;

import java.time.Duration;

import dev.kclboot.multilang.config.MultiLangSettings;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClientBuilder;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;

/**
 * The Kinesis and DynamoDB clients of a host, from its settings (region, endpoint overrides, credentials); closed
 * with the host.
 * @param kinesis the Kinesis client
 * @param dynamoDb the DynamoDB client
 * @param fanOut the async Kinesis client SubscribeToShard needs (Netty, HTTP/2), only when the host reads with
 * enhanced fan-out, else null
 */
record AwsClients(KinesisClient kinesis, DynamoDbClient dynamoDb, @Nullable KinesisAsyncClient fanOut)
        implements AutoCloseable {

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
        return new AwsClients(kinesis.build(), dynamoDb.build(), settings.fanOut() ? fanOutClient(settings) : null);
    }

    private static KinesisAsyncClient fanOutClient(MultiLangSettings settings) {
        // One HTTP/2 stream per held shard; no cap below what a host may hold. Over plain http (an emulator) Netty
        // speaks HTTP/2 with prior knowledge, over https it negotiates it.
        KinesisAsyncClientBuilder builder = KinesisAsyncClient.builder().region(settings.region())
                .credentialsProvider(settings.kinesisCredentials())
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP2)
                        .maxConcurrency(Integer.MAX_VALUE).connectionTimeout(Duration.ofSeconds(5)));
        if (settings.kinesisEndpoint() != null) {
            builder.endpointOverride(settings.kinesisEndpoint());
        }
        return builder.build();
    }

    @Override
    public void close() {
        kinesis.close();
        dynamoDb.close();
        if (fanOut != null) {
            fanOut.close();
        }
    }
}
