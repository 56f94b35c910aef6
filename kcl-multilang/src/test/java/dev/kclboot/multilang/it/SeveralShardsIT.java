package dev.kclboot.multilang.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.kclboot.multilang.MultiLangHost;
import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Several shards, a graceful stop and a restart, with real python3 children: one child per shard, every record once
 * and in shard order, {@code shutdownRequested} then {@code leaseLost} on stop with the leases released, and a second
 * host that resumes each shard right after its checkpoint. Run with both callback shapes of the processor.
 */
@EmbeddedKinesis
class SeveralShardsIT {

    @TempDir
    Path directory;

    @ParameterizedTest
    @EnumSource(ProcessorStyle.class)
    void eachShardHasOneChildAndARestartResumesAfterTheCheckpoints(ProcessorStyle style, LocalKinesis local) {
        String stream = local.createStream(4);
        String application = LocalKinesis.uniqueName("app");
        Path events = directory.resolve("events.log");
        List<String> written = new ArrayList<>(TestRecords.put(local, stream, "first", 200, 20));
        try (TestHosts hosts = new TestHosts(local, directory);
                LogCapture childLog = new LogCapture("dev.kclboot.multilang.child")) {
            Map<String, String> properties = hosts.properties(application, stream,
                    TestHosts.python(events, style, "--chatty"));
            properties.put("workerId", "host-a");
            MultiLangHost.Running first = hosts.start(properties);
            await().atMost(Duration.ofSeconds(60)).until(() -> ChildEvents.read(events).deliveredData().size() == 200
                    && ChildEvents.read(events).ofType("CKPT").stream().mapToInt(e -> 1).sum() >= 4);
            first.stop();

            ChildEvents run1 = ChildEvents.read(events);
            assertThat(run1.deliveredData()).containsExactlyInAnyOrderElementsOf(written);
            assertThat(run1.ofType("INIT")).hasSize(4).extracting(ChildEvent::shardId).doesNotHaveDuplicates();
            assertThat(run1.ofType("INIT")).allSatisfy(init -> assertThat(init.fields())
                    .containsExactly("TRIM_HORIZON", "0"));
            assertShardOrder(run1);
            // Every child: initialize, its batches, then shutdownRequested (checkpoint allowed) and leaseLost.
            run1.typesByChild().forEach((pid, types) -> {
                List<String> tail = new ArrayList<>(List.of("SHUTDOWN_REQUESTED"));
                tail.addAll(style.leaseLostTail());
                assertThat(types.subList(types.size() - tail.size(), types.size())).as("child %s", pid)
                        .containsExactlyElementsOf(tail);
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            });
            assertThat(run1.ofType("SHUTDOWN_REQUESTED")).extracting(event -> event.field(0)).containsOnly("ok");
            if (style == ProcessorStyle.V2) {
                assertThat(run1.ofType("SHUTDOWN")).extracting(event -> event.field(0)).containsOnly("ZOMBIE").hasSize(4);
            }
            // Released on stop: no owner, and each checkpoint is the last record its child delivered.
            Map<String, String> lastDelivered = lastSequencePerShard(run1);
            LeaseRows.read(local, application).forEach((shard, row) -> {
                assertThat(row).doesNotContainKey("leaseOwner");
                assertThat(row.get("checkpoint").s()).isEqualTo(lastDelivered.get(shard));
            });
            // stderr: each line once, with shard and pid, INFO or WARN; stray stdout tolerated and logged.
            List<ILoggingEvent> logged = childLog.events();
            for (ChildEvent init : run1.ofType("INIT")) {
                String prefix = init.shardId() + " [pid " + init.pid() + "] ";
                assertThat(logged).filteredOn(e -> e.getFormattedMessage().equals(prefix + "processor for "
                        + init.shardId() + " starting")).singleElement().extracting(ILoggingEvent::getLevel)
                        .isEqualTo(Level.INFO);
                assertThat(logged).filteredOn(e -> e.getFormattedMessage().equals(prefix + "WARNING: a warning line of "
                        + init.shardId())).singleElement().extracting(ILoggingEvent::getLevel).isEqualTo(Level.WARN);
                assertThat(logged).filteredOn(e -> e.getFormattedMessage().startsWith(prefix + "stdout, not protocol"))
                        .hasSize(2);
            }

            List<String> later = TestRecords.put(local, stream, "second", 40, 20);
            written.addAll(later);
            properties.put("workerId", "host-b");
            MultiLangHost.Running second = hosts.start(properties);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> ChildEvents.read(events).deliveredData().size() == 240);
            second.stop();
            ChildEvents all = ChildEvents.read(events);
            assertThat(all.deliveredData()).containsExactlyInAnyOrderElementsOf(written);
            List<ChildEvent> restarts = all.ofType("INIT").subList(4, 8);
            assertThat(restarts).allSatisfy(init -> assertThat(init.fields())
                    .containsExactly(lastDelivered.get(init.shardId()), "0"));
        }
    }

    /** Within each shard, records arrive in increasing sequence-number order. */
    static void assertShardOrder(ChildEvents events) {
        Map<String, BigInteger> last = new HashMap<>();
        for (ChildEvent record : events.ofType("REC")) {
            BigInteger sequence = new BigInteger(record.sequenceNumber());
            BigInteger previous = last.put(record.shardId(), sequence);
            if (previous != null) {
                assertThat(sequence).as("order in %s", record.shardId()).isGreaterThan(previous);
            }
        }
    }

    /** Within each child, records arrive in increasing sequence-number order (a restarted shard goes back). */
    static void assertShardOrderPerChild(ChildEvents events) {
        Map<Long, BigInteger> last = new HashMap<>();
        for (ChildEvent record : events.ofType("REC")) {
            BigInteger sequence = new BigInteger(record.sequenceNumber());
            BigInteger previous = last.put(record.pid(), sequence);
            if (previous != null) {
                assertThat(sequence).as("order in child %s", record.pid()).isGreaterThan(previous);
            }
        }
    }

    private static Map<String, String> lastSequencePerShard(ChildEvents events) {
        Map<String, String> last = new HashMap<>();
        events.ofType("REC").forEach(record -> last.put(record.shardId(), record.sequenceNumber()));
        return last;
    }
}
