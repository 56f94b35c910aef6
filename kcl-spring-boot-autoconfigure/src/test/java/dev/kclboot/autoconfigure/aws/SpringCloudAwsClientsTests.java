package dev.kclboot.autoconfigure.aws;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

import dev.kclboot.autoconfigure.KclAutoConfiguration;
import io.awspring.cloud.autoconfigure.AwsSyncClientCustomizer;
import io.awspring.cloud.autoconfigure.core.AwsAutoConfiguration;
import io.awspring.cloud.autoconfigure.core.CredentialsProviderAutoConfiguration;
import io.awspring.cloud.autoconfigure.core.RegionProviderAutoConfiguration;
import io.awspring.cloud.autoconfigure.dynamodb.DynamoDbAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Spring Cloud AWS on the class path (this class runs in the surefire execution that has it): its region,
 * credentials, sync-client customizers and DynamoDB client are used, no credentials provider or client is defined
 * twice, and kcl settings that are set explicitly go on top for the clients kcl builds.
 */
class SpringCloudAwsClientsTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CredentialsProviderAutoConfiguration.class,
                    RegionProviderAutoConfiguration.class, AwsAutoConfiguration.class,
                    DynamoDbAutoConfiguration.class, KclAutoConfiguration.class))
            .withPropertyValues("kcl.auto-startup=false", "spring.cloud.aws.region.static=eu-west-3",
                    "spring.cloud.aws.credentials.access-key=sca-key",
                    "spring.cloud.aws.credentials.secret-key=sca-secret",
                    "spring.cloud.aws.dynamodb.endpoint=http://127.0.0.1:34568");

    @Test
    void itsRegionCredentialsAndCustomizersConfigureTheKinesisClient() {
        AtomicInteger customized = new AtomicInteger();
        runner.withBean(AwsSyncClientCustomizer.class, () -> builder -> customized.incrementAndGet())
                .run(context -> {
                    assertThat(context).hasSingleBean(AwsCredentialsProvider.class)
                            .doesNotHaveBean("kclAwsCredentialsProvider");
                    KinesisClient kinesis = context.getBean(KinesisClient.class);
                    assertThat(kinesis.serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_3);
                    assertThat(kinesis.serviceClientConfiguration().credentialsProvider().resolveIdentity().join()
                            .accessKeyId()).isEqualTo("sca-key");
                    assertThat(customized.get()).as("AwsSyncClientCustomizer calls (its DynamoDbClient and our "
                            + "KinesisClient)").isEqualTo(2);
                });
    }

    @Test
    void itsDynamoDbClientIsTheWorkersAndNoSecondOneIsDefined() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(DynamoDbClient.class).hasSingleBean(KinesisClient.class);
            assertThat(context.getBean(DynamoDbClient.class).serviceClientConfiguration().endpointOverride())
                    .contains(URI.create("http://127.0.0.1:34568"));
        });
    }

    @Test
    void withoutItsDynamoDbModuleKclBuildsTheDynamoDbClientWithItsConfigurer() {
        runner.withClassLoader(new FilteredClassLoader("io.awspring.cloud.dynamodb")).run(context -> {
            assertThat(context).hasSingleBean(DynamoDbClient.class);
            DynamoDbClient dynamoDb = context.getBean(DynamoDbClient.class);
            assertThat(dynamoDb.serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_3);
            assertThat(dynamoDb.serviceClientConfiguration().credentialsProvider().resolveIdentity().join()
                    .accessKeyId()).isEqualTo("sca-key");
        });
    }

    @Test
    void kclSettingsThatAreSetGoOnTopForTheClientsKclBuilds() {
        runner.withPropertyValues("kcl.region=ap-northeast-1", "kcl.endpoint.kinesis=http://127.0.0.1:34567",
                "kcl.credentials.access-key=kcl-key", "kcl.credentials.secret-key=kcl-secret").run(context -> {
                    KinesisClient kinesis = context.getBean(KinesisClient.class);
                    assertThat(kinesis.serviceClientConfiguration().region()).isEqualTo(Region.AP_NORTHEAST_1);
                    assertThat(kinesis.serviceClientConfiguration().endpointOverride())
                            .contains(URI.create("http://127.0.0.1:34567"));
                    assertThat(kinesis.serviceClientConfiguration().credentialsProvider().resolveIdentity().join()
                            .accessKeyId()).isEqualTo("kcl-key");
                    assertThat(context).hasSingleBean(AwsCredentialsProvider.class);
                });
    }
}
