package dev.kclboot.autoconfigure.aws;

import java.net.URI;

import dev.kclboot.autoconfigure.KclProperties;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * {@link KclConnectionDetails} from the {@code kcl.*} properties: static keys (with a session token for temporary
 * credentials), else a named profile, else none (the defaults apply). Credentials are never logged.
 */
final class PropertiesKclConnectionDetails implements KclConnectionDetails {

    private final KclProperties properties;

    PropertiesKclConnectionDetails(KclProperties properties) {
        this.properties = properties;
    }

    @Override
    public @Nullable URI getKinesisEndpoint() {
        return properties.getEndpoint().getKinesis();
    }

    @Override
    public @Nullable URI getDynamoDbEndpoint() {
        return properties.getEndpoint().getDynamodb();
    }

    @Override
    public @Nullable Region getRegion() {
        String region = properties.getRegion();
        return (region != null) ? Region.of(region.trim()) : null;
    }

    @Override
    public @Nullable AwsCredentialsProvider getCredentialsProvider() {
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
        return null;
    }
}
