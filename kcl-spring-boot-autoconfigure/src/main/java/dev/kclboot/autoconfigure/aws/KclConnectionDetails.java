package dev.kclboot.autoconfigure.aws;

import java.net.URI;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * Where the Kinesis and DynamoDB clients of the workers connect. By default made from the {@code kcl.region},
 * {@code kcl.endpoint.*} and {@code kcl.credentials.*} properties; a bean of this type replaces them, as Spring
 * Boot's {@code @ServiceConnection} beans do: {@code @EmbeddedKinesis} provides one for the local emulators, and a
 * test or local tool can define its own. A value left null falls back to Spring Cloud AWS (when present), the
 * application's {@code AwsCredentialsProvider} bean, or the AWS SDK's defaults.
 */
public interface KclConnectionDetails extends ConnectionDetails {

    /** The endpoint of the Kinesis client, or null for the AWS endpoint of the region. */
    @Nullable URI getKinesisEndpoint();

    /** The endpoint of the DynamoDB client (the lease table), or null for the AWS endpoint of the region. */
    @Nullable URI getDynamoDbEndpoint();

    /** The region of both clients, or null for the default (Spring Cloud AWS's, else the SDK's region chain). */
    default @Nullable Region getRegion() {
        return null;
    }

    /** The credentials of both clients, or null for the default (see the type's description). */
    default @Nullable AwsCredentialsProvider getCredentialsProvider() {
        return null;
    }
}
