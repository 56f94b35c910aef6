package dev.kclboot.autoconfigure.aws;

import java.net.URI;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;

/**
 * Applies {@link KclConnectionDetails} to a client builder, on top of what is there already (Spring Cloud AWS's
 * settings, or nothing): the details' credentials, else the fallback; their region when set; the endpoint when set.
 */
final class ConnectionDetailsApplier {

    private final KclConnectionDetails details;

    ConnectionDetailsApplier(KclConnectionDetails details) {
        this.details = details;
    }

    <B extends AwsClientBuilder<B, ?>> B apply(B builder, @Nullable AwsCredentialsProvider fallbackCredentials,
            @Nullable URI endpoint) {
        AwsCredentialsProvider credentials = details.getCredentialsProvider();
        if (credentials != null) {
            builder.credentialsProvider(credentials);
        }
        else if (fallbackCredentials != null) {
            builder.credentialsProvider(fallbackCredentials);
        }
        Region region = details.getRegion();
        if (region != null) {
            builder.region(region);
        }
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder;
    }
}
