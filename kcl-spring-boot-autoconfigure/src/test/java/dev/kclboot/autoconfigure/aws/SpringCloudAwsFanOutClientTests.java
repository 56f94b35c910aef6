package dev.kclboot.autoconfigure.aws;

import java.util.concurrent.atomic.AtomicInteger;

import dev.kclboot.autoconfigure.KclAutoConfiguration;
import io.awspring.cloud.autoconfigure.AwsAsyncClientCustomizer;
import io.awspring.cloud.autoconfigure.core.AwsAutoConfiguration;
import io.awspring.cloud.autoconfigure.core.CredentialsProviderAutoConfiguration;
import io.awspring.cloud.autoconfigure.core.RegionProviderAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Spring Cloud AWS (this class runs in the surefire execution that has it), the async client of enhanced
 * fan-out starts from its configurer, as the sync client does: its region, credentials and async-client customizers;
 * one client, built only when asked for.
 */
class SpringCloudAwsFanOutClientTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CredentialsProviderAutoConfiguration.class,
                    RegionProviderAutoConfiguration.class, AwsAutoConfiguration.class, KclAutoConfiguration.class))
            .withPropertyValues("kcl.auto-startup=false", "spring.cloud.aws.region.static=eu-west-3",
                    "spring.cloud.aws.credentials.access-key=sca-key",
                    "spring.cloud.aws.credentials.secret-key=sca-secret");

    @Test
    void itsRegionCredentialsAndAsyncCustomizersConfigureTheFanOutClient() {
        AtomicInteger customized = new AtomicInteger();
        runner.withBean(AwsAsyncClientCustomizer.class, () -> builder -> customized.incrementAndGet())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBeanFactory().containsSingleton("kinesisAsyncClient")).as("lazy").isFalse();
                    KinesisAsyncClient kinesis = context.getBean(KinesisAsyncClient.class);
                    assertThat(context.getBeansOfType(KinesisAsyncClient.class)).hasSize(1);
                    assertThat(kinesis.serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_3);
                    assertThat(kinesis.serviceClientConfiguration().credentialsProvider().resolveIdentity().join()
                            .accessKeyId()).isEqualTo("sca-key");
                    assertThat(customized.get()).isEqualTo(1);
                });
    }
}
