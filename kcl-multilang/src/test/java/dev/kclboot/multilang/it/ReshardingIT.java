package dev.kclboot.multilang.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * A split while the host consumes: the parent's child gets {@code shardEnded} (version-2 processors:
 * {@code shutdown(TERMINATE)}) and checkpoints SHARD_END; the children of the split get their own child processes
 * only after that, from TRIM_HORIZON; every record is delivered once.
 */
@EmbeddedKinesis
class ReshardingIT {

    @TempDir
    Path directory;

    @ParameterizedTest
    @EnumSource(ProcessorStyle.class)
    void aSplitEndsTheParentsChildBeforeTheChildShardsStart(ProcessorStyle style, LocalKinesis local) {
        String stream = local.createStream(1);
        String application = LocalKinesis.uniqueName("app");
        Path events = directory.resolve("events.log");
        List<String> written = new ArrayList<>(TestRecords.put(local, stream, "before", 30, 6));
        Shard parent = local.kinesisClient().listShards(request -> request.streamName(stream)).shards().get(0);
        try (TestHosts hosts = new TestHosts(local, directory)) {
            hosts.start(hosts.properties(application, stream, TestHosts.python(events, style)));
            await().atMost(Duration.ofSeconds(60)).until(() -> ChildEvents.read(events).deliveredData().size() == 30);

            BigInteger start = new BigInteger(parent.hashKeyRange().startingHashKey());
            BigInteger end = new BigInteger(parent.hashKeyRange().endingHashKey());
            local.kinesisClient().splitShard(request -> request.streamName(stream).shardToSplit(parent.shardId())
                    .newStartingHashKey(start.add(end).shiftRight(1).toString()));
            local.awaitStreamActive(stream, Duration.ofSeconds(30));
            written.addAll(TestRecords.put(local, stream, "after", 30, 6));
            await().atMost(Duration.ofSeconds(60)).until(() -> ChildEvents.read(events).deliveredData().size() == 60
                    && ChildEvents.read(events).ofType("CKPT").stream()
                            .filter(c -> !c.shardId().equals(parent.shardId())).count() >= 2);
        }
        ChildEvents all = ChildEvents.read(events);
        assertThat(all.deliveredData()).containsExactlyInAnyOrderElementsOf(written);
        SeveralShardsIT.assertShardOrder(all);
        List<ChildEvent> parentInits = all.ofShard(parent.shardId(), "INIT");
        assertThat(parentInits).hasSize(1);
        List<String> parentTypes = all.typesByChild().get(parentInits.get(0).pid());
        List<String> expectedEnd = style == ProcessorStyle.V3 ? List.of("SHARD_END", "EXIT")
                : List.of("SHUTDOWN", "SHARD_END", "EXIT");
        assertThat(parentTypes.subList(parentTypes.size() - expectedEnd.size(), parentTypes.size()))
                .containsExactlyElementsOf(expectedEnd);
        ChildEvent shardEnd = all.ofShard(parent.shardId(), "SHARD_END").get(0);
        assertThat(shardEnd.field(0)).isEqualTo("ok");
        if (style == ProcessorStyle.V2) {
            assertThat(all.ofShard(parent.shardId(), "SHUTDOWN")).singleElement()
                    .extracting(event -> event.field(0)).isEqualTo("TERMINATE");
        }
        List<ChildEvent> childInits = all.ofType("INIT").stream()
                .filter(init -> !init.shardId().equals(parent.shardId())).toList();
        assertThat(childInits).hasSize(2).extracting(ChildEvent::shardId).doesNotHaveDuplicates();
        assertThat(childInits).allSatisfy(init -> {
            assertThat(init.index()).isGreaterThan(shardEnd.index());
            assertThat(init.fields()).containsExactly("TRIM_HORIZON", "0");
        });
        assertThat(all.ofType("REC").stream().filter(rec -> rec.data().startsWith("after"))
                .map(ChildEvent::shardId)).doesNotContain(parent.shardId());
        assertThat(LeaseRows.read(local, application).get(parent.shardId()))
                .satisfiesAnyOf(row -> assertThat(row).isNull(),
                        row -> assertThat(row.get("checkpoint").s()).isEqualTo("SHARD_END"));
    }
}
