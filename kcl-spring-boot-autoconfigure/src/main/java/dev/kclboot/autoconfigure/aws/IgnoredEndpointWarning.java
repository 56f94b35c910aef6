package dev.kclboot.autoconfigure.aws;

import java.net.URI;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Warns when an endpoint of the connection details ({@code kcl.endpoint.*}, {@code @EmbeddedKinesis}) is not the
 * one of the client the workers use, because that client is the application's or Spring Cloud AWS's own bean: the
 * setting would otherwise be ignored without a word.
 */
final class IgnoredEndpointWarning implements SmartInitializingSingleton {

    private static final Logger logger = LoggerFactory.getLogger(IgnoredEndpointWarning.class);

    private final ObjectProvider<KclConnectionDetails> details;

    private final ObjectProvider<KinesisClient> kinesis;

    private final ObjectProvider<DynamoDbClient> dynamoDb;

    /** Providers: the clients are looked at only once every singleton exists. */
    IgnoredEndpointWarning(ObjectProvider<KclConnectionDetails> details, ObjectProvider<KinesisClient> kinesis,
            ObjectProvider<DynamoDbClient> dynamoDb) {
        this.details = details;
        this.kinesis = kinesis;
        this.dynamoDb = dynamoDb;
    }

    @Override
    public void afterSingletonsInstantiated() {
        KclConnectionDetails current = details.getIfUnique();
        if (current == null) {
            return;
        }
        check("Kinesis", "kcl.endpoint.kinesis", current.getKinesisEndpoint(), kinesis.getIfUnique());
        check("DynamoDB", "kcl.endpoint.dynamodb (Spring Cloud AWS: spring.cloud.aws.dynamodb.endpoint)",
                current.getDynamoDbEndpoint(), dynamoDb.getIfUnique());
    }

    private static void check(String service, String property, @Nullable URI wanted, @Nullable SdkClient client) {
        if (wanted == null || client == null) {
            return;
        }
        Optional<URI> actual = client.serviceClientConfiguration().endpointOverride();
        if (actual.isEmpty() || !actual.get().equals(wanted)) {
            logger.warn("The {} endpoint {} of the kcl connection details is not applied: the workers use the {} "
                    + "client bean the application (or Spring Cloud AWS) defines, whose endpoint is {}. Configure "
                    + "that client instead, or set {} there.", service, wanted, service,
                    actual.map(URI::toString).orElse("the AWS endpoint of its region"), property);
        }
    }
}
