package dev.kclboot.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kclboot.core.Worker;
import dev.kclboot.core.metrics.EngineMetrics;
import dev.kclboot.spring.actuate.KinesisEndpoint;
import dev.kclboot.spring.actuate.WorkerDescriptor;
import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.spring.config.KinesisListenerEndpointRegistry;
import dev.kclboot.test.LocalKinesis;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.core.SdkBytes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code kinesis} health indicator follows DynamoDB: UP while consuming, DOWN once the lease table has been
 * unreachable for longer than the failover time, and it stays DOWN while it is unreachable (also after the worker
 * dropped the leases it could not renew); UP again once DynamoDB is back and the same worker has recovered its lease
 * and consumes again. Runs on a private {@link LocalKinesis} whose DynamoDB emulator is stopped and restarted (its data
 * kept), not on the shared one.
 */
class HealthDuringDynamoDbOutageIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void healthIsDownWhileDynamoDbIsUnreachableAndUpAgainWhenTheWorkerRecovers() {
        try (LocalKinesis local = LocalKinesis.builder().persistentDynamoDb(true).start()) {
            String stream = local.createStream(1);
            String application = LocalKinesis.uniqueName("app");
            List<String> before = List.of("before-1", "before-2", "before-3", "before-4", "before-5");
            String lastSequence = null;
            for (String payload : before) {
                lastSequence = put(local, stream, payload);
            }
            try (ConfigurableApplicationContext context = start(local, stream, application)) {
                Received received = context.getBean(Received.class);
                KinesisEndpoint endpoint = context.getBean(KinesisEndpoint.class);
                Worker worker = context.getBean(KinesisListenerEndpointRegistry.class).getWorkers().get(0);
                await().atMost(WAIT).until(() -> received.payloads.size() >= before.size());
                String checkpoint = lastSequence;
                await().atMost(WAIT).until(() -> checkpoint.equals(onlyLease(endpoint).checkpoint()));
                await().atMost(WAIT).until(() -> endpoint.workers().workers().get(0).lastRenewal() != null);
                assertThat(health(context).getStatus()).isEqualTo(Status.UP);

                local.stopDynamoDb();
                await().atMost(WAIT).until(() -> health(context).getStatus().equals(Status.DOWN));
                assertThat(health(context).getDetails().toString()).contains("problem").contains(worker.workerId());
                // After the failover time the worker drops the lease it cannot renew; with nothing left to renew it
                // must still not look healthy while the lease table is unreachable.
                await().atMost(WAIT).until(() -> worker.leases().isEmpty());
                await().during(Duration.ofSeconds(4)).atMost(WAIT)
                        .until(() -> health(context).getStatus().equals(Status.DOWN));
                assertThat(new Meters(context.getBean(MeterRegistry.class), application)
                        .count(EngineMetrics.LEASES_LOST)).isEqualTo(1.0);

                local.restartDynamoDb();
                await().atMost(WAIT).until(() -> health(context).getStatus().equals(Status.UP));
                await().atMost(WAIT).until(() -> worker.leases().size() == 1);
                put(local, stream, "after-1");
                await().atMost(WAIT).until(() -> received.payloads.contains("after-1"));
                assertThat(health(context).getStatus()).isEqualTo(Status.UP);
                // The same worker recovered; the checkpoint survived the outage, so nothing was delivered twice.
                assertThat(context.getBean(KinesisListenerEndpointRegistry.class).getWorkers()).containsExactly(worker);
                assertThat(received.payloads).containsExactly("before-1", "before-2", "before-3", "before-4",
                        "before-5", "after-1");
            }
        }
    }

    private static WorkerDescriptor.LeaseDescriptor onlyLease(KinesisEndpoint endpoint) {
        List<WorkerDescriptor.LeaseDescriptor> leases = endpoint.workers().workers().get(0).leases();
        return leases.isEmpty() ? new WorkerDescriptor.LeaseDescriptor("", "", "", null, 0) : leases.get(0);
    }

    private static IndicatedHealthDescriptor health(ConfigurableApplicationContext context) {
        return KinesisObservabilityIT.kinesisHealth(context);
    }

    private static String put(LocalKinesis local, String stream, String payload) {
        return local.kinesisClient().putRecord(request -> request.streamName(stream).partitionKey("pk")
                .data(SdkBytes.fromString(payload, StandardCharsets.UTF_8))).sequenceNumber();
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

    private static ConfigurableApplicationContext start(LocalKinesis local, String stream, String application) {
        return TestApplications.run(App.class, local, stream, application);
    }
}
