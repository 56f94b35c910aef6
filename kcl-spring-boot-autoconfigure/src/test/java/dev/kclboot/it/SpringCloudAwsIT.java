package dev.kclboot.it;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kclboot.core.Worker;
import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.test.LocalKinesis;
import io.awspring.cloud.autoconfigure.core.AwsClientBuilderConfigurer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application with Spring Cloud AWS (core and DynamoDB starters) and {@code @EmbeddedKinesis}: the worker
 * consumes over the emulators with Spring Cloud AWS's own {@code DynamoDbClient} (configured by
 * {@code spring.cloud.aws.dynamodb.*}) and a Kinesis client built with its configurer, and the context holds one
 * client of each kind and one credentials provider. Runs in the surefire execution that has Spring Cloud AWS.
 */
@SpringBootTest(classes = SpringCloudAwsIT.App.class)
class SpringCloudAwsIT extends ListenerIntegrationTest {

    static final StreamFixture fixture = new StreamFixture(1);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        LocalKinesis local = LocalKinesis.shared();
        registry.add("kcl.stream", () -> fixture.stream);
        registry.add("kcl.application-name", () -> fixture.application);
        registry.add("spring.cloud.aws.region.static", () -> LocalKinesis.REGION.id());
        registry.add("spring.cloud.aws.credentials.access-key", () -> LocalKinesis.ACCESS_KEY_ID);
        registry.add("spring.cloud.aws.credentials.secret-key", () -> LocalKinesis.SECRET_ACCESS_KEY);
        registry.add("spring.cloud.aws.dynamodb.endpoint", () -> local.dynamoDbEndpoint().toString());
    }

    @Autowired
    ApplicationContext context;

    @Autowired
    Received received;

    @Test
    void consumesWithSpringCloudAwsClientsAndDefinesNoDuplicates() {
        fixture.put("pk", "sca-1");
        fixture.put("pk", "sca-2");
        await().atMost(Duration.ofSeconds(60)).until(() -> received.payloads.size() >= 2);
        assertThat(received.payloads).containsExactly("sca-1", "sca-2");

        assertThat(context.getBeansOfType(AwsClientBuilderConfigurer.class)).hasSize(1);
        assertThat(context.getBeansOfType(DynamoDbClient.class)).hasSize(1);
        assertThat(context.getBeansOfType(KinesisClient.class)).hasSize(1);
        assertThat(context.getBeansOfType(AwsCredentialsProvider.class)).containsOnlyKeys("credentialsProvider");
        Worker worker = context.getBean(Worker.class);
        assertThat(worker.config().dynamoDb()).isSameAs(context.getBean(DynamoDbClient.class));
        assertThat(worker.config().kinesis()).isSameAs(context.getBean(KinesisClient.class));
        String shard = fixture.written.get("sca-2").shardId();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> fixture.sequenceOf("sca-2").equals(fixture.checkpointOf(shard)));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Received received() {
            return new Received();
        }
    }

    static class Received {

        final List<String> payloads = new CopyOnWriteArrayList<>();

        @KinesisListener
        void onRecord(String payload) {
            payloads.add(payload);
        }
    }
}
