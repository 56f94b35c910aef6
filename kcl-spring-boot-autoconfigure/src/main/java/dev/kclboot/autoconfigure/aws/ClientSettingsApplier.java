package dev.kclboot.autoconfigure.aws;

import dev.kclboot.autoconfigure.KclProperties;
import org.springframework.util.ClassUtils;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.apache.ApacheHttpClient;

/**
 * Applies {@code kcl.client.*} to the builder of an auto-configured client: the API call and attempt timeouts, and,
 * with the Apache HTTP client on the classpath (the starter brings it), the size of its connection pool. Applied
 * before the builder customizers, so a customizer can change them.
 */
final class ClientSettingsApplier {

    private static final boolean APACHE_PRESENT = ClassUtils.isPresent(
            "software.amazon.awssdk.http.apache.ApacheHttpClient", ClientSettingsApplier.class.getClassLoader());

    private final KclProperties.Client client;

    ClientSettingsApplier(KclProperties.Client client) {
        this.client = client;
    }

    <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B apply(B builder) {
        builder.overrideConfiguration(configuration -> configuration.apiCallTimeout(client.getApiCallTimeout())
                .apiCallAttemptTimeout(client.getApiCallAttemptTimeout()));
        if (APACHE_PRESENT) {
            builder.httpClientBuilder(ApacheHttpClient.builder().maxConnections(client.getMaxConnections()));
        }
        return builder;
    }
}
