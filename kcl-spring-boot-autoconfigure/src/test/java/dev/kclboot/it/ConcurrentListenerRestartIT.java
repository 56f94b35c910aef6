package dev.kclboot.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.annotation.KinesisListener;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With a concurrency above 1, an application stopped while one key is blocked (its record failing, the other keys
 * done far past it) leaves the checkpoint just before the blocked record; the application started again delivers
 * exactly the records from the blocked one on, in shard order per key, each once: the done records of other keys
 * behind the watermark come again (at least once), none before it does.
 */
class ConcurrentListenerRestartIT {

    private final StreamFixture fixture = new StreamFixture(1);

    @Test
    void theNextRunStartsAtTheBlockedRecordAndRedeliversExactlyWhatFollows() {
        List<PutRecordResponse> written = new ArrayList<>();
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String payload = "r-" + (i % 5) + "-" + i;
            written.add(fixture.put("key-" + (i % 5), payload));
            payloads.add(payload);
        }
        String blocked = "r-2-12";
        int blockedAt = payloads.indexOf(blocked);
        String shard = written.get(0).shardId();
        String beforeBlocked = written.get(blockedAt - 1).sequenceNumber();
        try (ConfigurableApplicationContext context = start("test.fail=" + blocked)) {
            Received received = context.getBean(Received.class);
            // Every record but key-2's from r-2-12 on: 40 - 6 (r-2-12, r-2-17, ..., r-2-37).
            await().atMost(Duration.ofSeconds(60)).until(() -> received.payloads.size() >= 34
                    && received.failures.size() >= 2);
            await().atMost(Duration.ofSeconds(30)).until(() -> beforeBlocked.equals(fixture.checkpointOf(shard)));
            assertThat(received.payloads).hasSize(34).doesNotContain(blocked);
        }
        assertThat(fixture.checkpointOf(shard)).as("the stop checkpoints the watermark, not past it")
                .isEqualTo(beforeBlocked);

        try (ConfigurableApplicationContext context = start("test.fail=none")) {
            Received received = context.getBean(Received.class);
            List<String> expected = payloads.subList(blockedAt, payloads.size());
            await().atMost(Duration.ofSeconds(60)).until(() -> received.payloads.size() >= expected.size());
            await().atMost(Duration.ofSeconds(30)).until(() -> written.get(written.size() - 1).sequenceNumber()
                    .equals(fixture.checkpointOf(shard)));
            assertThat(received.payloads).as("exactly the blocked record and those after it, each once")
                    .hasSize(expected.size()).containsExactlyInAnyOrderElementsOf(expected);
            for (int key = 0; key < 5; key++) {
                String prefix = "r-" + key + "-";
                assertThat(received.payloads.stream().filter(payload -> payload.startsWith(prefix)).toList())
                        .as("order of key-%s", key)
                        .isEqualTo(expected.stream().filter(payload -> payload.startsWith(prefix)).toList());
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Received received(@Value("${test.fail}") String failing) {
            return new Received(failing);
        }
    }

    static class Received {

        final List<String> payloads = new CopyOnWriteArrayList<>();

        final List<String> failures = new CopyOnWriteArrayList<>();

        /** The payload that fails on every attempt. */
        private final String failing;

        Received(String failing) {
            this.failing = failing;
        }

        @KinesisListener(concurrency = "3", checkpointMode = "RECORD")
        void onRecord(KinesisRecord record) {
            String payload = new String(record.dataBytes(), StandardCharsets.UTF_8);
            if (payload.equals(failing)) {
                failures.add(payload);
                throw new IllegalStateException("blocked " + payload);
            }
            payloads.add(payload);
        }
    }

    private ConfigurableApplicationContext start(String failProperty) {
        return TestApplications.run(App.class, fixture.local, fixture.stream, fixture.application, failProperty);
    }
}
