package dev.kclboot.autoconfigure;

import java.net.URI;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;

/**
 * Applies the connection properties ({@code kcl.region}, {@code kcl.endpoint.*}, {@code kcl.credentials.*}) to the
 * SDK's client builders. Credentials are never logged.
 */
final class AwsClientConfigurer {

    private final KclProperties properties;

    AwsClientConfigurer(KclProperties properties) {
        this.properties = properties;
    }

    /** Static keys, else a named profile, else the SDK's default chain. */
    AwsCredentialsProvider credentialsProvider() {
        KclProperties.Credentials credentials = properties.getCredentials();
        String accessKey = credentials.getAccessKey();
        String secretKey = credentials.getSecretKey();
        if (accessKey != null && secretKey != null) {
            String token = credentials.getSessionToken();
            return StaticCredentialsProvider.create((token != null)
                    ? AwsSessionCredentials.create(accessKey, secretKey, token)
                    : AwsBasicCredentials.create(accessKey, secretKey));
        }
        if (credentials.getProfile() != null) {
            return ProfileCredentialsProvider.builder().profileName(credentials.getProfile()).build();
        }
        return DefaultCredentialsProvider.builder().build();
    }

    /** Sets credentials, the region when configured, and the endpoint override when given. */
    <B extends AwsClientBuilder<B, ?>> B configure(B builder, AwsCredentialsProvider credentials,
            @Nullable URI endpoint) {
        builder.credentialsProvider(credentials);
        String region = properties.getRegion();
        if (region != null) {
            builder.region(Region.of(region.trim()));
        }
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder;
    }
}
