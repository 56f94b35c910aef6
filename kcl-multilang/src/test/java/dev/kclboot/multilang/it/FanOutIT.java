package dev.kclboot.multilang.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.kclboot.multilang.MultiLangHost;
import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.model.Consumer;
import software.amazon.awssdk.services.kinesis.model.ConsumerStatus;

/**
 * {@code RetrievalMode = FANOUT} with real python3 children: the host registers the stream consumer named by
 * {@code consumerName}, delivers every record once and in shard order through SubscribeToShard, checkpoints, and a
 * second host (also fan-out, same consumer) resumes right after the checkpoints; the consumer is not deregistered at
 * the graceful stops (other hosts share it).
 */
@EmbeddedKinesis
class FanOutIT {

    @TempDir
    Path directory;

    @Test
    void fanOutDeliversEveryRecordOnceAndResumesAfterTheCheckpoints(LocalKinesis local) {
        String stream = local.createStream(2);
        String application = LocalKinesis.uniqueName("app");
        String consumerName = LocalKinesis.uniqueName("readers");
        Path events = directory.resolve("events.log");
        List<String> written = new ArrayList<>(TestRecords.put(local, stream, "first", 120, 12));
        try (TestHosts hosts = new TestHosts(local, directory)) {
            Map<String, String> properties = hosts.properties(application, stream,
                    TestHosts.python(events, ProcessorStyle.V3));
            properties.put("RetrievalMode", "FANOUT");
            properties.put("consumerName", consumerName);
            properties.put("workerId", "host-a");
            MultiLangHost.Running first = hosts.start(properties);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> ChildEvents.read(events).deliveredData().size() >= written.size());
            assertThat(consumers(local, stream)).singleElement().satisfies(consumer -> {
                assertThat(consumer.consumerName()).isEqualTo(consumerName);
                assertThat(consumer.consumerStatus()).isEqualTo(ConsumerStatus.ACTIVE);
            });
            first.stop();
            ChildEvents run1 = ChildEvents.read(events);
            // Exactly once: the multiset of delivered data equals what was put, duplicates included.
            assertThat(run1.deliveredData()).containsExactlyInAnyOrderElementsOf(written);
            SeveralShardsIT.assertShardOrder(run1);

            List<String> later = TestRecords.put(local, stream, "second", 30, 12);
            written.addAll(later);
            properties.put("workerId", "host-b");
            MultiLangHost.Running second = hosts.start(properties);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> ChildEvents.read(events).deliveredData().size() >= written.size());
            second.stop();
            ChildEvents all = ChildEvents.read(events);
            assertThat(all.deliveredData()).containsExactlyInAnyOrderElementsOf(written);
            SeveralShardsIT.assertShardOrder(all);
            assertThat(consumers(local, stream)).extracting(Consumer::consumerName).containsExactly(consumerName);
        }
    }

    private static List<Consumer> consumers(LocalKinesis local, String stream) {
        String arn = local.kinesisClient().describeStreamSummary(request -> request.streamName(stream))
                .streamDescriptionSummary().streamARN();
        return local.kinesisClient().listStreamConsumers(request -> request.streamARN(arn)).consumers();
    }
}
