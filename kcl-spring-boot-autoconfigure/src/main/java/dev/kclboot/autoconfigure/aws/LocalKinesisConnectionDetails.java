package dev.kclboot.autoconfigure.aws;

import java.net.URI;

import dev.kclboot.test.LocalKinesis;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * {@link KclConnectionDetails} of a {@link LocalKinesis} bean: the emulators' endpoints, their region and dummy
 * credentials. {@code @EmbeddedKinesis} registers that bean in the test's application context.
 */
final class LocalKinesisConnectionDetails implements KclConnectionDetails {

    private final LocalKinesis local;

    LocalKinesisConnectionDetails(LocalKinesis local) {
        this.local = local;
    }

    @Override
    public URI getKinesisEndpoint() {
        return local.kinesisEndpoint();
    }

    @Override
    public URI getDynamoDbEndpoint() {
        return local.dynamoDbEndpoint();
    }

    @Override
    public Region getRegion() {
        return local.region();
    }

    @Override
    public AwsCredentialsProvider getCredentialsProvider() {
        return local.credentialsProvider();
    }
}
