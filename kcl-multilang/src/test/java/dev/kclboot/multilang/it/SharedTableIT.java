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
 * Two hosts on one lease table: the second takes half the leases from the first, whose children for those shards get
 * {@code leaseLost} (version-2 processors: {@code shutdown(ZOMBIE)}); the second host's children start at the first
 * host's checkpoints, and every record is committed exactly once across both.
 */
@EmbeddedKinesis
class SharedTableIT {

    @TempDir
    Path directory;

    @ParameterizedTest
    @EnumSource(ProcessorStyle.class)
    void aSecondHostTakesHalfTheLeasesAndTheLosersGetLeaseLost(ProcessorStyle style, LocalKinesis local) {
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
            // The two shards B took: A's child for each ended with leaseLost, B's child started at A's checkpoint.
            for (ChildEvent init : fromB.ofType("INIT")) {
                ChildEvent lostInit = fromA.ofShard(init.shardId(), "INIT").get(0);
                List<String> types = fromA.typesByChild().get(lostInit.pid());
                assertThat(types.subList(types.size() - 2, types.size())).containsExactlyElementsOf(style.leaseLostTail());
                if (style == ProcessorStyle.V2) {
                    assertThat(fromA.ofShard(init.shardId(), "SHUTDOWN")).singleElement()
                            .extracting(event -> event.field(0)).isEqualTo("ZOMBIE");
                }
                List<ChildEvent> okCheckpoints = fromA.ofChild(lostInit.pid()).stream()
                        .filter(event -> event.type().equals("CKPT") && event.field(0).equals("ok")).toList();
                assertThat(init.field(0)).isEqualTo(okCheckpoints.get(okCheckpoints.size() - 1).sequenceNumber());
            }
            // Nothing lost, nothing committed twice; extra deliveries are exactly the loser's unconfirmed records.
            assertThat(committed(eventsA, eventsB)).hasSize(written.size())
                    .allSatisfy((data, count) -> assertThat(count).isEqualTo(1));
            List<String> expected = new ArrayList<>(written);
            fromA.uncommittedByChild().values().forEach(expected::addAll);
            List<String> delivered = new ArrayList<>(fromA.deliveredData());
            delivered.addAll(fromB.deliveredData());
            assertThat(delivered).containsExactlyInAnyOrderElementsOf(expected);
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
