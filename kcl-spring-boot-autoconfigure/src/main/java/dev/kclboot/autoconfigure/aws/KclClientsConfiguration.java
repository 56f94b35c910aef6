package dev.kclboot.autoconfigure.aws;

import dev.kclboot.autoconfigure.KclProperties;
import dev.kclboot.test.LocalKinesis;
import io.awspring.cloud.autoconfigure.AwsAsyncClientCustomizer;
import io.awspring.cloud.autoconfigure.AwsSyncClientCustomizer;
import io.awspring.cloud.autoconfigure.core.AwsClientBuilderConfigurer;
import io.awspring.cloud.autoconfigure.core.AwsConnectionDetails;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedAsyncClientOption;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClientBuilder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClientBuilder;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;

/**
 * The {@link KinesisClient} and {@link DynamoDbClient} of the workers, unless the application (or Spring Cloud AWS)
 * defines them; imported by {@code KclAutoConfiguration}. Without Spring Cloud AWS they are built from the
 * {@link KclConnectionDetails} and the {@code AwsCredentialsProvider} bean (the application's, else one from the
 * details, else the SDK's default chain). With Spring Cloud AWS's {@code AwsClientBuilderConfigurer} they start from
 * its region, credentials, endpoint and {@code AwsSyncClientCustomizer}s ({@code spring.cloud.aws.*}), and what the
 * connection details set explicitly ({@code kcl.region}, {@code kcl.endpoint.*}, {@code kcl.credentials.*}, an
 * {@code @EmbeddedKinesis}) goes on top; no second credentials provider is defined. The builder customizers of this
 * package come last. The async client of enhanced fan-out is connected the same way, and built only when used.
 */
@Configuration(proxyBeanMethods = false)
public class KclClientsConfiguration {

    static final String SPRING_CLOUD_AWS_CONFIGURER = "io.awspring.cloud.autoconfigure.core.AwsClientBuilderConfigurer";

    static final String NETTY_CLIENT = "software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient";

    @Bean
    @ConditionalOnMissingBean(KclConnectionDetails.class)
    KclConnectionDetails kclConnectionDetails(KclProperties properties) {
        return new PropertiesKclConnectionDetails(properties);
    }

    /**
     * Kept for applications without Spring Cloud AWS, whose own {@code AwsCredentialsProvider} bean, when they have
     * one, is used; with Spring Cloud AWS its provider exists already and this one backs off.
     */
    @Bean
    @ConditionalOnMissingBean(AwsCredentialsProvider.class)
    AwsCredentialsProvider kclAwsCredentialsProvider(KclConnectionDetails details) {
        AwsCredentialsProvider credentials = details.getCredentialsProvider();
        return (credentials != null) ? credentials : DefaultCredentialsProvider.builder().build();
    }

    @Bean
    IgnoredEndpointWarning kclIgnoredEndpointWarning(ObjectProvider<KclConnectionDetails> details,
            ObjectProvider<KinesisClient> kinesis, ObjectProvider<DynamoDbClient> dynamoDb) {
        return new IgnoredEndpointWarning(details, kinesis, dynamoDb);
    }

    /** The emulators of {@code @EmbeddedKinesis} (a {@link LocalKinesis} bean), before the properties. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "dev.kclboot.test.LocalKinesis")
    static class LocalKinesisConnection {

        @Bean
        @ConditionalOnMissingBean(KclConnectionDetails.class)
        @ConditionalOnSingleCandidate(type = "dev.kclboot.test.LocalKinesis")
        KclConnectionDetails localKinesisConnectionDetails(LocalKinesis local) {
            return new LocalKinesisConnectionDetails(local);
        }
    }

    /** Without Spring Cloud AWS: the details, the credentials bean, the customizers. */
    @Configuration(proxyBeanMethods = false)
    @Conditional(WithoutSpringCloudAws.class)
    static class StandardClients {

        @Bean
        @ConditionalOnMissingBean
        KinesisClient kinesisClient(KclConnectionDetails details, AwsCredentialsProvider credentials,
                KclProperties properties, ObjectProvider<KinesisClientBuilderCustomizer> customizers) {
            KinesisClientBuilder builder = new ConnectionDetailsApplier(details).apply(KinesisClient.builder(),
                    credentials, details.getKinesisEndpoint());
            new ClientSettingsApplier(properties.getClient()).apply(builder);
            customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
            return builder.build();
        }

        @Bean
        @ConditionalOnMissingBean
        DynamoDbClient dynamoDbClient(KclConnectionDetails details, AwsCredentialsProvider credentials,
                KclProperties properties, ObjectProvider<DynamoDbClientBuilderCustomizer> customizers) {
            DynamoDbClientBuilder builder = new ConnectionDetailsApplier(details).apply(DynamoDbClient.builder(),
                    credentials, details.getDynamoDbEndpoint());
            new ClientSettingsApplier(properties.getClient()).apply(builder);
            customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
            return builder.build();
        }
    }

    /**
     * With Spring Cloud AWS: its configurer first (region, credentials, {@code spring.cloud.aws.endpoint}, its
     * connection details and sync-client customizers), then the kcl details that are set, then the customizers.
     * A {@code DynamoDbClient} that Spring Cloud AWS defines ({@code spring-cloud-aws-starter-dynamodb}) is used as
     * it is.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = SPRING_CLOUD_AWS_CONFIGURER)
    @ConditionalOnBean(type = SPRING_CLOUD_AWS_CONFIGURER)
    static class SpringCloudAwsClients {

        @Bean
        @ConditionalOnMissingBean
        KinesisClient kinesisClient(AwsClientBuilderConfigurer configurer,
                ObjectProvider<AwsConnectionDetails> awsConnectionDetails,
                ObjectProvider<AwsSyncClientCustomizer> syncCustomizers, KclConnectionDetails details,
                KclProperties properties, ObjectProvider<KinesisClientBuilderCustomizer> customizers) {
            KinesisClientBuilder builder = configurer.configureSyncClient(KinesisClient.builder(), null,
                    awsConnectionDetails.getIfAvailable(), null, syncCustomizers.orderedStream());
            new ConnectionDetailsApplier(details).apply(builder, null, details.getKinesisEndpoint());
            new ClientSettingsApplier(properties.getClient()).apply(builder);
            customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
            return builder.build();
        }

        @Bean
        @ConditionalOnMissingBean
        DynamoDbClient dynamoDbClient(AwsClientBuilderConfigurer configurer,
                ObjectProvider<AwsConnectionDetails> awsConnectionDetails,
                ObjectProvider<AwsSyncClientCustomizer> syncCustomizers, KclConnectionDetails details,
                KclProperties properties, ObjectProvider<DynamoDbClientBuilderCustomizer> customizers) {
            DynamoDbClientBuilder builder = configurer.configureSyncClient(DynamoDbClient.builder(), null,
                    awsConnectionDetails.getIfAvailable(), null, syncCustomizers.orderedStream());
            new ConnectionDetailsApplier(details).apply(builder, null, details.getDynamoDbEndpoint());
            new ClientSettingsApplier(properties.getClient()).apply(builder);
            customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
            return builder.build();
        }
    }

    /**
     * The async clients, when the SDK's Netty client is on the class path (the starter brings it), connected like the
     * sync ones. Kinesis: HTTP/2, as SubscribeToShard needs, and no cap on concurrent streams, since every held shard
     * keeps one open under enhanced fan-out; with {@code kcl.client.async-io} (the default) polling's reads use it
     * too. DynamoDB: lease renewals and takes with {@code kcl.client.async-io}, with the {@code kcl.client.*}
     * timeouts and connection count, its futures completed on the event loop (the engine's callbacks only record the
     * result, or continue on its own pool). Lazy: built only when a worker uses them.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = NETTY_CLIENT)
    static class FanOutClient {

        @Bean
        @Lazy
        @ConditionalOnMissingBean
        @Conditional(WithoutSpringCloudAws.class)
        KinesisAsyncClient kinesisAsyncClient(KclConnectionDetails details, AwsCredentialsProvider credentials) {
            return new ConnectionDetailsApplier(details).apply(http2(KinesisAsyncClient.builder()), credentials,
                    details.getKinesisEndpoint()).build();
        }

        @Bean
        @Lazy
        @ConditionalOnMissingBean
        @Conditional(WithoutSpringCloudAws.class)
        DynamoDbAsyncClient dynamoDbAsyncClient(KclConnectionDetails details, AwsCredentialsProvider credentials,
                KclProperties properties) {
            return new ConnectionDetailsApplier(details).apply(async(DynamoDbAsyncClient.builder(),
                    properties.getClient()), credentials, details.getDynamoDbEndpoint()).build();
        }

        static DynamoDbAsyncClientBuilder async(DynamoDbAsyncClientBuilder builder, KclProperties.Client client) {
            return builder.httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(client.getMaxConnections()))
                    .overrideConfiguration(configuration -> configuration.apiCallTimeout(client.getApiCallTimeout())
                            .apiCallAttemptTimeout(client.getApiCallAttemptTimeout()))
                    .asyncConfiguration(async -> async.advancedOption(
                            SdkAdvancedAsyncClientOption.FUTURE_COMPLETION_EXECUTOR, Runnable::run));
        }

        static KinesisAsyncClientBuilder http2(KinesisAsyncClientBuilder builder) {
            return builder.httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP2)
                    .maxConcurrency(Integer.MAX_VALUE));
        }
    }

    /** The same with Spring Cloud AWS: its configurer and async-client customizers first, then the kcl details. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = { NETTY_CLIENT, SPRING_CLOUD_AWS_CONFIGURER })
    @ConditionalOnBean(type = SPRING_CLOUD_AWS_CONFIGURER)
    static class SpringCloudAwsFanOutClient {

        @Bean
        @Lazy
        @ConditionalOnMissingBean
        KinesisAsyncClient kinesisAsyncClient(AwsClientBuilderConfigurer configurer,
                ObjectProvider<AwsConnectionDetails> awsConnectionDetails,
                ObjectProvider<AwsAsyncClientCustomizer> asyncCustomizers, KclConnectionDetails details) {
            KinesisAsyncClientBuilder builder = configurer.configureAsyncClient(
                    FanOutClient.http2(KinesisAsyncClient.builder()), null, awsConnectionDetails.getIfAvailable(), null,
                    asyncCustomizers.orderedStream());
            return new ConnectionDetailsApplier(details).apply(builder, null, details.getKinesisEndpoint()).build();
        }

        @Bean
        @Lazy
        @ConditionalOnMissingBean
        DynamoDbAsyncClient dynamoDbAsyncClient(AwsClientBuilderConfigurer configurer,
                ObjectProvider<AwsConnectionDetails> awsConnectionDetails,
                ObjectProvider<AwsAsyncClientCustomizer> asyncCustomizers, KclConnectionDetails details,
                KclProperties properties) {
            DynamoDbAsyncClientBuilder builder = configurer.configureAsyncClient(
                    FanOutClient.async(DynamoDbAsyncClient.builder(), properties.getClient()), null,
                    awsConnectionDetails.getIfAvailable(), null, asyncCustomizers.orderedStream());
            return new ConnectionDetailsApplier(details).apply(builder, null, details.getDynamoDbEndpoint()).build();
        }
    }

    /** Matches unless Spring Cloud AWS's client builder configurer is a bean. */
    static class WithoutSpringCloudAws extends NoneNestedConditions {

        WithoutSpringCloudAws() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnBean(type = SPRING_CLOUD_AWS_CONFIGURER)
        static class SpringCloudAwsPresent {
        }
    }
}
