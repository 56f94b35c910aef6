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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two hosts on one lease table: the second asks the first for half the leases and the first hands them over
 * gracefully, as the KCL 3 daemon does on rebalancing: its children for those shards get {@code shutdownRequested}
 * (they checkpoint) and then {@code leaseLost} (version-2 processors: {@code shutdown(ZOMBIE)}), and exit. The second
 * host's children start at those checkpoints, so every record is delivered exactly once across both hosts.
 */
@EmbeddedKinesis
class SharedTableIT {

    @TempDir
    Path directory;

    @ParameterizedTest
    @EnumSource(ProcessorStyle.class)
    void aSecondHostIsHandedHalfTheLeasesAndTheLosersGetShutdownRequestedThenLeaseLost(ProcessorStyle style,
            LocalKinesis local) {
        String stream = local.createStream(4);
        String application = LocalKinesis.uniqueName("app");
        Path eventsA = directory.resolve("events-a.log");
        Path eventsB = directory.resolve("events-b.log");
        List<String> written = new ArrayList<>(TestRecords.put(local, stream, "one", 100, 20));
        try (TestHosts hosts = new TestHosts(local, directory)) {
            Map<String, String> a = hosts.properties(application, stream, TestHosts.python(eventsA, style));
            a.put("workerId", "host-a");
            MultiLangHost.Running hostA = hosts.start(a);
            await().atMost(Duration.ofSeconds(60)).until(() -> ChildEvents.read(eventsA).deliveredData().size() == 100);

            Map<String, String> b = hosts.properties(application, stream, TestHosts.python(eventsB, style));
            b.put("workerId", "host-b");
            b.put("maxLeasesToStealAtOneTime", "2");
            MultiLangHost.Running hostB = hosts.start(b);
            await().atMost(Duration.ofSeconds(60)).until(() -> hostB.host().children().count() == 2
                    && hostA.host().children().count() == 2);
            written.addAll(TestRecords.put(local, stream, "two", 100, 20));
            await().atMost(Duration.ofSeconds(60)).until(() -> committed(eventsA, eventsB).keySet().containsAll(written));

            ChildEvents fromA = ChildEvents.read(eventsA);
            ChildEvents fromB = ChildEvents.read(eventsB);
            assertThat(fromA.ofType("INIT")).hasSize(4);
            assertThat(fromB.ofType("INIT")).hasSize(2);
            // The two shards B took: A's child for each checkpointed at shutdownRequested, got leaseLost and exited;
            // B's child started at that checkpoint, the last record A's child had been given.
            for (ChildEvent init : fromB.ofType("INIT")) {
                ChildEvent lostInit = fromA.ofShard(init.shardId(), "INIT").get(0);
                List<String> types = fromA.typesByChild().get(lostInit.pid());
                List<String> tail = new ArrayList<>(List.of("SHUTDOWN_REQUESTED"));
                tail.addAll(style.leaseLostTail());
                assertThat(types.subList(types.size() - tail.size(), types.size())).as("child %s", lostInit.pid())
                        .containsExactlyElementsOf(tail);
                assertThat(types.subList(0, types.size() - tail.size())).doesNotContain("SHUTDOWN_REQUESTED",
                        "LEASE_LOST", "SHUTDOWN", "EXIT");
                assertThat(fromA.ofShard(init.shardId(), "SHUTDOWN_REQUESTED")).singleElement()
                        .extracting(event -> event.field(0)).isEqualTo("ok");
                if (style == ProcessorStyle.V2) {
                    assertThat(fromA.ofShard(init.shardId(), "SHUTDOWN")).singleElement()
                            .extracting(event -> event.field(0)).isEqualTo("ZOMBIE");
                }
                List<ChildEvent> records = fromA.ofChild(lostInit.pid()).stream()
                        .filter(event -> event.type().equals("REC")).toList();
                assertThat(init.fields()).containsExactly(records.get(records.size() - 1).sequenceNumber(), "0");
            }
            // The two shards A kept: their children still run, with nothing but records and checkpoints since INIT.
            List<Long> kept = fromA.children().stream()
                    .filter(pid -> fromB.ofShard(fromA.ofChild(pid).get(0).shardId(), "INIT").isEmpty()).toList();
            assertThat(kept).hasSize(2).allSatisfy(pid -> assertThat(fromA.typesByChild().get(pid))
                    .containsOnly("INIT", "REC", "CKPT"));
            // Nothing lost, nothing committed twice, nothing delivered twice: each handoff was checkpointed.
            assertThat(committed(eventsA, eventsB)).hasSize(written.size())
                    .allSatisfy((data, count) -> assertThat(count).isEqualTo(1));
            assertThat(fromA.uncommittedByChild()).isEmpty();
            assertThat(fromB.uncommittedByChild()).isEmpty();
            List<String> delivered = new ArrayList<>(fromA.deliveredData());
            delivered.addAll(fromB.deliveredData());
            assertThat(delivered).containsExactlyInAnyOrderElementsOf(written);
            SeveralShardsIT.assertShardOrderPerChild(fromA);
            SeveralShardsIT.assertShardOrderPerChild(fromB);
            assertThat(LeaseRows.owners(local, application).values()).containsExactlyInAnyOrder("host-a", "host-a",
                    "host-b", "host-b");
        }
    }

    private static Map<String, Integer> committed(Path eventsA, Path eventsB) {
        Map<String, Integer> counts = new java.util.HashMap<>(ChildEvents.read(eventsA).committedCounts());
        ChildEvents.read(eventsB).committedCounts().forEach((data, count) -> counts.merge(data, count, Integer::sum));
        return counts;
    }
}
