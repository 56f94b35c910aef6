package dev.kclboot.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import dev.kclboot.core.Worker;
import dev.kclboot.core.metrics.EngineMetrics;
import dev.kclboot.spring.actuate.KinesisEndpoint;
import dev.kclboot.spring.actuate.KinesisEndpoint.KinesisDescriptor;
import dev.kclboot.spring.actuate.WorkerDescriptor;
import dev.kclboot.spring.actuate.WorkerDescriptor.LeaseDescriptor;
import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.spring.config.KinesisListenerEndpointRegistry;
import dev.kclboot.spring.listener.metrics.KinesisListenerMetrics;
import dev.kclboot.test.LocalKinesis;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 5 against the emulators, through Boot's own metrics, health and endpoint auto-configuration: the engine's
 * record counter and per-shard lag gauges, the listener containers' retry and recovery counters, the {@code kinesis}
 * endpoint's leases and checkpoints, and health checks that never call AWS. Each test runs its own application on its
 * own stream; the application's SDK clients are its own beans with a {@link RequestCounter}.
 */
class KinesisObservabilityIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void theRecordCounterSaysNAndEveryShardHasALagGauge() {
        StreamFixture fixture = new StreamFixture(2);
        int n = 30;
        long bytes = 0;
        for (int i = 1; i <= n; i++) {
            String payload = "rec-" + i;
            fixture.put("pk-" + i, payload);
            bytes += payload.getBytes(StandardCharsets.UTF_8).length;
        }
        assertThat(fixture.written.values().stream().map(response -> response.shardId()).distinct()).hasSize(2);
        try (ConfigurableApplicationContext context = start(fixture)) {
            Listener listener = context.getBean(Listener.class);
            Meters meters = new Meters(context.getBean(MeterRegistry.class), fixture.application);
            await().atMost(WAIT).until(() -> listener.received.size() >= n);
            await().atMost(WAIT).until(() -> meters.count(EngineMetrics.RECORDS_PROCESSED) >= n);
            assertThat(listener.received).hasSize(n);
            assertThat(meters.count(EngineMetrics.RECORDS_PROCESSED)).isEqualTo(n);
            assertThat(meters.count(EngineMetrics.BYTES_PROCESSED)).isEqualTo(bytes);
            assertThat(meters.count(EngineMetrics.GET_RECORDS_CALLS)).isPositive();
            assertThat(meters.gauge(EngineMetrics.LEASES_HELD)).isEqualTo(2.0);
            assertThat(meters.count(EngineMetrics.LEASES_TAKEN)).isEqualTo(2.0);
            await().atMost(WAIT).untilAsserted(() -> assertThat(meters.gaugesByShard(
                    EngineMetrics.MILLIS_BEHIND_LATEST)).containsOnlyKeys(shardIds(fixture)));
            assertThat(meters.gaugesByShard(EngineMetrics.MILLIS_BEHIND_LATEST).values())
                    .allSatisfy(lag -> assertThat(lag).isNotNegative());
            await().atMost(WAIT).until(() -> meters.count(EngineMetrics.CHECKPOINTS_WRITTEN) >= 2);
            assertThat(meters.count(KinesisListenerMetrics.LISTENER_FAILURES)).isZero();
            assertThat(meters.count(KinesisListenerMetrics.LISTENER_RETRIES)).isZero();
        }
    }

    @Test
    void theEndpointListsTheHeldLeasesWithTheirCheckpointsAndHealthIsUp() {
        StreamFixture fixture = new StreamFixture(2);
        for (int i = 1; i <= 10; i++) {
            fixture.put("pk-" + i, "rec-" + i);
        }
        try (ConfigurableApplicationContext context = start(fixture)) {
            KinesisEndpoint endpoint = context.getBean(KinesisEndpoint.class);
            Map<String, String> expected = fixture.lastSequencePerShard();
            await().atMost(WAIT).untilAsserted(() -> assertThat(checkpointsOf(endpoint.workers()))
                    .isEqualTo(expected));
            WorkerDescriptor worker = endpoint.workers().workers().get(0);
            Worker bean = context.getBean(Worker.class);
            assertThat(endpoint.workers().workers()).hasSize(1);
            assertThat(worker.application()).isEqualTo(fixture.application);
            assertThat(worker.workerId()).isEqualTo(bean.workerId());
            assertThat(worker.leaseTable()).isEqualTo(fixture.application);
            assertThat(worker.state()).isEqualTo("RUNNING");
            assertThat(worker.streams()).containsExactly(Map.entry(fixture.stream, false));
            assertThat(worker.leases()).extracting(LeaseDescriptor::shardId)
                    .containsExactlyElementsOf(shardIds(fixture));
            assertThat(worker.leases()).allSatisfy(lease -> {
                assertThat(lease.stream()).isEqualTo(fixture.stream);
                assertThat(lease.leaseCounter()).isPositive();
            });
            await().atMost(WAIT).untilAsserted(() -> assertThat(endpoint.workers().workers().get(0).leases())
                    .allSatisfy(lease -> assertThat(lease.millisBehindLatest()).isNotNull()));
            await().atMost(WAIT).until(() -> endpoint.workers().workers().get(0).lastRenewal() != null);
            assertThat(endpoint.application(fixture.application)).isNotNull();
            assertThat(endpoint.application("no-such-application")).isNull();

            IndicatedHealthDescriptor health = kinesisHealth(context);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails().toString()).contains(bean.workerId()).contains(shardIds(fixture))
                    .contains(expected.values());
        }
    }

    @Test
    void healthChecksAndTheEndpointMakeNoAwsCalls() {
        StreamFixture fixture = new StreamFixture(2);
        for (int i = 1; i <= 10; i++) {
            fixture.put("pk-" + i, "rec-" + i);
        }
        try (ConfigurableApplicationContext context = start(fixture)) {
            RequestCounter requests = context.getBean(RequestCounter.class);
            Listener listener = context.getBean(Listener.class);
            KinesisEndpoint endpoint = context.getBean(KinesisEndpoint.class);
            await().atMost(WAIT).until(() -> listener.received.size() >= 10);
            await().atMost(WAIT).until(() -> endpoint.workers().workers().get(0).leases().size() == 2);
            // The application's clients are the counted ones: the worker's calls go through them.
            assertThat(requests.of("GetRecords")).isPositive();
            assertThat(requests.of("UpdateItem")).isPositive();

            Thread self = Thread.currentThread();
            long before = requests.from(self);
            int totalBefore = requests.total();
            for (int i = 0; i < 200; i++) {
                assertThat(kinesisHealth(context).getStatus()).isEqualTo(Status.UP);
                assertThat(context.getBean(HealthEndpoint.class).health().getStatus()).isEqualTo(Status.UP);
                assertThat(endpoint.workers().workers()).hasSize(1);
                assertThat(endpoint.application(fixture.application)).isNotNull();
            }
            assertThat(requests.from(self)).as("requests made by health checks and endpoint reads").isEqualTo(before);
            // The counter kept seeing the worker's own traffic meanwhile (it is not blind).
            await().atMost(WAIT).until(() -> requests.total() > totalBefore);
            assertThat(requests.from(self)).isEqualTo(before);
        }
    }

    @Test
    void retriesAndRecoveredRecordsAreCounted() {
        StreamFixture fixture = new StreamFixture(1);
        for (String payload : List.of("ok-1", "flaky-1", "bad-1", "ok-2")) {
            fixture.put("pk", payload);
        }
        try (ConfigurableApplicationContext context = start(fixture, "kcl.retry.max-attempts=3")) {
            Listener listener = context.getBean(Listener.class);
            Meters meters = new Meters(context.getBean(MeterRegistry.class), fixture.application);
            await().atMost(WAIT).until(() -> listener.received.contains("ok-2"));
            await().atMost(WAIT).until(() -> meters.count(EngineMetrics.RECORDS_PROCESSED) >= 4);
            // flaky-1: fails once, succeeds on the retry; bad-1: fails three times, then is recovered.
            assertThat(listener.received).containsExactly("ok-1", "flaky-1", "ok-2");
            assertThat(meters.count(KinesisListenerMetrics.LISTENER_FAILURES)).isEqualTo(4.0);
            assertThat(meters.count(KinesisListenerMetrics.LISTENER_RETRIES)).isEqualTo(3.0);
            assertThat(meters.count(KinesisListenerMetrics.RECORDS_RECOVERED, "reason", "exhausted")).isEqualTo(1.0);
            assertThat(meters.count(KinesisListenerMetrics.RECORDS_RECOVERED)).isEqualTo(1.0);
            assertThat(meters.count(KinesisListenerMetrics.RECOVERER_FAILURES)).isZero();
            assertThat(meters.count(KinesisListenerMetrics.LISTENER_RETRIES, "stream", fixture.stream, "shard",
                    fixture.written.get("bad-1").shardId(), "listener", "observed")).isEqualTo(3.0);
            // The engine counts every record the container finished, the recovered one included.
            assertThat(meters.count(EngineMetrics.RECORDS_PROCESSED)).isEqualTo(4.0);
        }
    }

    @Test
    void healthIsDownWhileAListenerIsStoppedByAFailedRecordAndUpWhenItIsStartedAgain() {
        StreamFixture fixture = new StreamFixture(1);
        for (String payload : List.of("ok-1", "bad-1", "ok-2")) {
            fixture.put("pk", payload);
        }
        try (ConfigurableApplicationContext context = start(fixture, "kcl.retry.max-attempts=2",
                "kcl.retry.on-exhausted=STOP")) {
            Listener listener = context.getBean(Listener.class);
            KinesisListenerEndpointRegistry registry = context.getBean(KinesisListenerEndpointRegistry.class);
            KinesisEndpoint endpoint = context.getBean(KinesisEndpoint.class);
            Meters meters = new Meters(context.getBean(MeterRegistry.class), fixture.application);
            await().atMost(WAIT).until(() -> !registry.getListenerContainer("observed").isRunning()
                    && registry.getWorkers().isEmpty());
            assertThat(listener.received).containsExactly("ok-1");
            IndicatedHealthDescriptor health = kinesisHealth(context);
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails().toString()).contains("observed").contains("FAILED")
                    .contains(fixture.sequenceOf("bad-1"));
            assertThat(endpoint.workers().listeners()).singleElement().satisfies(descriptor -> {
                assertThat(descriptor.id()).isEqualTo("observed");
                assertThat(descriptor.stream()).isEqualTo(fixture.stream);
                assertThat(descriptor.state()).isEqualTo("FAILED");
                assertThat(descriptor.problem()).contains(fixture.sequenceOf("bad-1"));
            });
            assertThat(meters.count(KinesisListenerMetrics.LISTENER_STOPS)).isEqualTo(1.0);

            listener.failBad = false;
            registry.start("observed");
            await().atMost(WAIT).until(() -> listener.received.contains("ok-2"));
            assertThat(listener.received).containsExactly("ok-1", "bad-1", "ok-2");
            assertThat(kinesisHealth(context).getStatus()).isEqualTo(Status.UP);
            assertThat(endpoint.workers().listeners()).extracting(descriptor -> descriptor.state())
                    .containsExactly("RUNNING");
        }
    }

    @Test
    void aListenerStoppedOnPurposeIsNotAProblem() {
        StreamFixture fixture = new StreamFixture(1);
        fixture.put("pk", "ok-1");
        try (ConfigurableApplicationContext context = start(fixture)) {
            Listener listener = context.getBean(Listener.class);
            KinesisListenerEndpointRegistry registry = context.getBean(KinesisListenerEndpointRegistry.class);
            await().atMost(WAIT).until(() -> listener.received.contains("ok-1"));
            registry.pause("observed");
            assertThat(kinesisHealth(context).getStatus()).isEqualTo(Status.UP);
            assertThat(context.getBean(KinesisEndpoint.class).workers().listeners())
                    .extracting(descriptor -> descriptor.state()).containsExactly("PAUSED");
            registry.stop("observed");
            assertThat(kinesisHealth(context).getStatus()).isEqualTo(Status.UP);
            assertThat(context.getBean(KinesisEndpoint.class).workers().listeners())
                    .extracting(descriptor -> descriptor.state()).containsExactly("STOPPED");
        }
    }

    @Test
    void theLeaseGaugeFollowsAWorkerRestartedThroughTheRegistry() {
        StreamFixture fixture = new StreamFixture(2);
        for (int i = 1; i <= 10; i++) {
            fixture.put("pk-" + i, "rec-" + i);
        }
        try (ConfigurableApplicationContext context = start(fixture)) {
            Listener listener = context.getBean(Listener.class);
            KinesisListenerEndpointRegistry registry = context.getBean(KinesisListenerEndpointRegistry.class);
            Meters meters = new Meters(context.getBean(MeterRegistry.class), fixture.application);
            await().atMost(WAIT).until(() -> listener.received.size() >= 10);
            await().atMost(WAIT).until(() -> meters.gauge(EngineMetrics.LEASES_HELD) == 2.0);
            Worker first = registry.getWorkers().get(0);

            registry.stop("observed");
            assertThat(registry.getWorkers()).isEmpty();
            registry.start("observed");
            Worker second = registry.getWorkers().get(0);
            assertThat(second).isNotSameAs(first);
            await().atMost(WAIT).until(() -> second.leases().size() == 2);
            await().atMost(WAIT).until(() -> meters.gauge(EngineMetrics.LEASES_HELD) == 2.0);
            fixture.put("pk-after", "after-restart");
            await().atMost(WAIT).until(() -> listener.received.contains("after-restart"));
            await().atMost(WAIT).untilAsserted(() -> assertThat(meters.gaugesByShard(
                    EngineMetrics.MILLIS_BEHIND_LATEST)).containsOnlyKeys(shardIds(fixture)));
        }
    }

    static IndicatedHealthDescriptor kinesisHealth(ConfigurableApplicationContext context) {
        return (IndicatedHealthDescriptor) context.getBean(HealthEndpoint.class).healthForPath("kinesis");
    }

    private static Map<String, String> checkpointsOf(KinesisDescriptor descriptor) {
        return descriptor.workers().stream().flatMap(worker -> worker.leases().stream())
                .collect(Collectors.toMap(LeaseDescriptor::shardId, LeaseDescriptor::checkpoint));
    }

    private static List<String> shardIds(StreamFixture fixture) {
        return fixture.local.kinesisClient().listShards(request -> request.streamName(fixture.stream)).shards()
                .stream().map(Shard::shardId).sorted().toList();
    }


    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Listener listener() {
            return new Listener();
        }

        @Bean
        RequestCounter requestCounter() {
            return new RequestCounter();
        }

        /** The application's own clients replace the auto-configured ones; every request is counted. */
        @Bean
        KinesisClient kinesisClient(RequestCounter counter) {
            LocalKinesis local = LocalKinesis.shared();
            return local.configure(KinesisClient.builder(), local.kinesisEndpoint())
                    .overrideConfiguration(config -> config.addExecutionInterceptor(counter)).build();
        }

        @Bean
        DynamoDbClient dynamoDbClient(RequestCounter counter) {
            LocalKinesis local = LocalKinesis.shared();
            return local.configure(DynamoDbClient.builder(), local.dynamoDbEndpoint())
                    .overrideConfiguration(config -> config.addExecutionInterceptor(counter)).build();
        }
    }

    /**
     * Receives payloads; {@code flaky-*} fails on its first delivery, {@code bad-*} on every delivery while
     * {@link #failBad} is set.
     */
    static class Listener {

        final List<String> received = new CopyOnWriteArrayList<>();

        volatile boolean failBad = true;

        private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();

        @KinesisListener(id = "observed")
        void onRecord(String payload) {
            if ((failBad && payload.startsWith("bad-"))
                    || (payload.startsWith("flaky-") && failedOnce.add(payload))) {
                throw new IllegalStateException("failing on " + payload);
            }
            received.add(payload);
        }
    }

    private static ConfigurableApplicationContext start(StreamFixture fixture, String... extraProperties) {
        return TestApplications.run(App.class, fixture.local, fixture.stream, fixture.application, extraProperties);
    }
}
