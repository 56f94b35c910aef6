package dev.kclboot.it;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kclboot.spring.annotation.KinesisListener;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.kinesis.model.Shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When the listener's shard is split, the container checkpoints SHARD_END on the parent once its records are done
 * (so the children start), and the records written to the children arrive too, each key in order.
 */
@SpringBootTest(classes = ShardSplitIT.App.class, properties = "kcl.shard-sync-interval=1s")
class ShardSplitIT extends ListenerIntegrationTest {

    static final StreamFixture fixture = new StreamFixture(1);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("kcl.stream", () -> fixture.stream);
        registry.add("kcl.application-name", () -> fixture.application);
    }

    @Autowired
    Listener listener;

    @Test
    void theParentEndsWithShardEndAndTheChildrenAreConsumed() {
        List<String> written = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            fixture.put("key-" + (i % 4), "before-" + i);
            written.add("before-" + i);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> listener.payloads.size() >= 10);

        Shard parent = fixture.local.kinesisClient().listShards(request -> request.streamName(fixture.stream))
                .shards().get(0);
        BigInteger start = new BigInteger(parent.hashKeyRange().startingHashKey());
        BigInteger end = new BigInteger(parent.hashKeyRange().endingHashKey());
        fixture.local.kinesisClient().splitShard(request -> request.streamName(fixture.stream)
                .shardToSplit(parent.shardId()).newStartingHashKey(start.add(end).shiftRight(1).toString()));
        fixture.local.awaitStreamActive(fixture.stream, Duration.ofSeconds(30));
        for (int i = 1; i <= 10; i++) {
            fixture.put("key-" + (i % 4), "after-" + i);
            written.add("after-" + i);
        }

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(listener.payloads)
                .containsAll(written));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, String> checkpoints = fixture.checkpoints();
            // The parent is at SHARD_END, or already deleted: the engine cleans up a finished parent's lease once
            // every child has started, and only then.
            assertThat(checkpoints.getOrDefault(parent.shardId(), "SHARD_END")).isEqualTo("SHARD_END");
            assertThat(checkpoints).hasSizeGreaterThanOrEqualTo(2);
        });
        for (int key = 0; key < 4; key++) {
            String suffix = "-" + key;
            List<String> ofKey = listener.payloads.stream().filter(p -> keyOf(p).equals(suffix)).toList();
            List<String> expected = written.stream().filter(p -> keyOf(p).equals(suffix)).toList();
            assertThat(ofKey).as("order of key %s, each record once", key).isEqualTo(expected);
        }
        assertThat(listener.payloads).hasSize(written.size());
    }

    private static String keyOf(String payload) {
        int number = Integer.parseInt(payload.substring(payload.indexOf('-') + 1));
        return "-" + (number % 4);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Listener listener() {
            return new Listener();
        }
    }

    static class Listener {

        final List<String> payloads = new CopyOnWriteArrayList<>();

        @KinesisListener
        void onRecord(String payload) {
            payloads.add(payload);
        }
    }
}
