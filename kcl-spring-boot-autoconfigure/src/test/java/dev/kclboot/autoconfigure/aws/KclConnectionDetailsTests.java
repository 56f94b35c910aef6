package dev.kclboot.autoconfigure.aws;

import java.net.URI;
import java.time.Duration;

import dev.kclboot.autoconfigure.KclAutoConfiguration;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the auto-configured clients connect: the properties by default, a {@link KclConnectionDetails} bean instead
 * when there is one (a {@link LocalKinesis} bean, as {@code @EmbeddedKinesis} registers, becomes one), and the builder
 * customizers on top; an endpoint the application's own client bean does not use is warned about.
 */
@ExtendWith(OutputCaptureExtension.class)
class KclConnectionDetailsTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KclAutoConfiguration.class))
            .withPropertyValues("kcl.auto-startup=false", "kcl.region=eu-west-1",
                    "kcl.endpoint.kinesis=http://localhost:1", "kcl.endpoint.dynamodb=http://localhost:2");

    @Test
    void thePropertiesAreTheDefaultConnectionDetails() {
        runner.run(context -> {
            KclConnectionDetails details = context.getBean(KclConnectionDetails.class);
            assertThat(details).isInstanceOf(PropertiesKclConnectionDetails.class);
            assertThat(details.getKinesisEndpoint()).isEqualTo(URI.create("http://localhost:1"));
            assertThat(context.getBean(KinesisClient.class).serviceClientConfiguration().region())
                    .isEqualTo(Region.EU_WEST_1);
        });
    }

    @Test
    void aConnectionDetailsBeanWinsOverTheProperties() {
        runner.withUserConfiguration(OwnDetails.class).run(context -> {
            assertThat(context).hasSingleBean(KclConnectionDetails.class);
            KinesisClient kinesis = context.getBean(KinesisClient.class);
            assertThat(kinesis.serviceClientConfiguration().endpointOverride())
                    .contains(URI.create("http://127.0.0.1:14567"));
            assertThat(kinesis.serviceClientConfiguration().region()).isEqualTo(Region.AP_SOUTH_1);
            assertThat(kinesis.serviceClientConfiguration().credentialsProvider().resolveIdentity().join()
                    .accessKeyId()).isEqualTo("details-key");
            assertThat(context.getBean(DynamoDbClient.class).serviceClientConfiguration().endpointOverride())
                    .contains(URI.create("http://127.0.0.1:14568"));
        });
    }

    @Test
    void aLocalKinesisBeanBecomesTheConnectionDetails() {
        LocalKinesis local = LocalKinesis.connect(URI.create("http://127.0.0.1:24567"),
                URI.create("http://127.0.0.1:24568"));
        runner.withBean("localKinesis", LocalKinesis.class, () -> local).run(context -> {
            assertThat(context.getBean(KclConnectionDetails.class)).isInstanceOf(LocalKinesisConnectionDetails.class);
            KinesisClient kinesis = context.getBean(KinesisClient.class);
            assertThat(kinesis.serviceClientConfiguration().endpointOverride()).contains(local.kinesisEndpoint());
            assertThat(kinesis.serviceClientConfiguration().region()).isEqualTo(LocalKinesis.REGION);
            assertThat(kinesis.serviceClientConfiguration().credentialsProvider().resolveIdentity().join()
                    .accessKeyId()).isEqualTo(LocalKinesis.ACCESS_KEY_ID);
            assertThat(context.getBean(DynamoDbClient.class).serviceClientConfiguration().endpointOverride())
                    .contains(local.dynamoDbEndpoint());
        });
    }

    @Test
    void theBuilderCustomizersAreApplied() {
        runner.withBean(KinesisClientBuilderCustomizer.class, () -> builder -> builder
                .overrideConfiguration(override -> override.apiCallTimeout(Duration.ofSeconds(7))))
                .withBean(DynamoDbClientBuilderCustomizer.class, () -> builder -> builder
                        .overrideConfiguration(override -> override.apiCallTimeout(Duration.ofSeconds(3))))
                .run(context -> {
                    assertThat(context.getBean(KinesisClient.class).serviceClientConfiguration()
                            .overrideConfiguration().apiCallTimeout()).contains(Duration.ofSeconds(7));
                    assertThat(context.getBean(DynamoDbClient.class).serviceClientConfiguration()
                            .overrideConfiguration().apiCallTimeout()).contains(Duration.ofSeconds(3));
                });
    }

    @Test
    void anEndpointThatTheApplicationsOwnClientDoesNotUseIsWarnedAbout(CapturedOutput output) {
        runner.withBean(KinesisClient.class, () -> KinesisClient.builder().region(Region.EU_WEST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create()).build()).run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(output).contains("The Kinesis endpoint http://localhost:1 of the kcl connection "
                            + "details is not applied").contains("set kcl.endpoint.kinesis there");
                    assertThat(output).doesNotContain("The DynamoDB endpoint");
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnDetails {

        @Bean
        KclConnectionDetails ownConnectionDetails() {
            return new KclConnectionDetails() {

                @Override
                public URI getKinesisEndpoint() {
                    return URI.create("http://127.0.0.1:14567");
                }

                @Override
                public URI getDynamoDbEndpoint() {
                    return URI.create("http://127.0.0.1:14568");
                }

                @Override
                public Region getRegion() {
                    return Region.AP_SOUTH_1;
                }

                @Override
                public AwsCredentialsProvider getCredentialsProvider() {
                    return StaticCredentialsProvider.create(AwsBasicCredentials.create("details-key", "x"));
                }
            };
        }
    }
}
