package dev.kclboot.multilang.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.kclboot.core.WorkerState;
import dev.kclboot.multilang.MultiLangHost;
import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A child that crashes mid-batch, one that answers with garbage, one that stops answering: each ends only its own
 * shard. The host keeps running, the other shards keep their one child, the failed shard gets a new child that starts
 * at the failed child's last checkpoint, and every record is committed exactly once (the failed child's records
 * after its checkpoint are delivered again, nothing is skipped).
 */
@EmbeddedKinesis
class ChildFailureIT {

    @TempDir
    Path directory;

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "crash, --crash-at, exited", "garbage, --garbage-at, protocol-violation", "hang, --hang-at, timed-out" })
    void aFailingChildEndsOnlyItsShardAndLosesNothing(String fault, String option, String reason, LocalKinesis local) {
        String stream = local.createStream(3);
        String application = LocalKinesis.uniqueName("app");
        Path events = directory.resolve("events.log");
        List<String> written = TestRecords.put(local, stream, "r", 150, 15);
        try (TestHosts hosts = new TestHosts(local, directory)) {
            Map<String, String> properties = hosts.properties(application, stream,
                    TestHosts.python(events, ProcessorStyle.V3, option, "15"));
            properties.put("maxRecords", "10");
            properties.put("timeoutInSeconds", "2");
            MultiLangHost.Running host = hosts.start(properties);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> ChildEvents.read(events).committedCounts().keySet().containsAll(written));

            ChildEvents all = ChildEvents.read(events);
            ChildEvent faultEvent = all.ofType("FAULT").get(0);
            assertThat(all.ofType("FAULT")).hasSize(1);
            assertThat(faultEvent.field(0)).isEqualTo(fault);
            long failedChild = faultEvent.pid();
            String failedShard = faultEvent.shardId();
            // The failed child never got to exit normally, and it is gone (the hung one was killed).
            assertThat(all.typesByChild().get(failedChild)).doesNotContain("EXIT", "LEASE_LOST");
            assertThat(ProcessHandle.of(failedChild).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            // Only its shard restarted: a second child, initialized at the failed child's last checkpoint.
            for (ChildEvent init : all.ofType("INIT")) {
                if (!init.shardId().equals(failedShard)) {
                    assertThat(all.ofShard(init.shardId(), "INIT")).hasSize(1);
                }
            }
            List<ChildEvent> inits = all.ofShard(failedShard, "INIT");
            assertThat(inits).hasSize(2);
            List<ChildEvent> checkpoints = all.ofChild(failedChild).stream()
                    .filter(event -> event.type().equals("CKPT") && event.field(0).equals("ok")).toList();
            String expectedStart = checkpoints.isEmpty() ? "TRIM_HORIZON" : checkpoints.get(checkpoints.size() - 1).sequenceNumber();
            assertThat(inits.get(1).field(0)).isEqualTo(expectedStart);
            // Exactly once committed; the extra deliveries are exactly what the failed child had not checkpointed.
            Map<String, Integer> committed = ChildEvents.read(events).committedCounts();
            assertThat(committed).hasSize(written.size()).allSatisfy((data, count) -> assertThat(count).isEqualTo(1));
            List<String> uncommitted = all.uncommittedByChild().getOrDefault(failedChild, List.of());
            assertThat(uncommitted).isNotEmpty();
            List<String> expectedDeliveries = new ArrayList<>(written);
            expectedDeliveries.addAll(uncommitted);
            assertThat(all.deliveredData()).containsExactlyInAnyOrderElementsOf(expectedDeliveries);
            SeveralShardsIT.assertShardOrderPerChild(all);

            assertThat(host.host().worker().state()).isEqualTo(WorkerState.RUNNING);
            // One consumer failure for the engine, on the failed shard only; forgotten once its new child progressed.
            assertThat(host.cumulative().find("kcl.consumer.failures").counters()).singleElement()
                    .satisfies(counter -> {
                        assertThat(counter.getId().getTag("shard")).isEqualTo(failedShard);
                        assertThat(counter.count()).isEqualTo(1.0);
                    });
            assertThat(host.host().worker().shardFailures()).isEmpty();
            assertThat(host.cumulative().get("kcl.multilang.children.failed").tag("reason", reason).counter().count())
                    .isEqualTo(1.0);
            assertThat(host.cumulative().find("kcl.multilang.children.failed").counters()).hasSize(1);
            assertThat(host.cumulative().get("kcl.multilang.children.started").counter().count()).isEqualTo(4.0);
            assertThat(host.host().children().count()).isEqualTo(3);
        }
    }
}
