package dev.kclboot.benchmarks.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The producer's accounting against the stream ({@link StreamAudit}), through a split: every acknowledged id is in the
 * stream where its acknowledgement said, ids of a key are written in increasing order, and a wrong acknowledgement
 * is caught.
 */
@EmbeddedKinesis
class IdProducerIT {

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedIdIsInTheStreamWhereItsAcknowledgementSaid(LocalKinesis local) throws Exception {
        String stream = local.createStream(2);
        Resharder resharder = new Resharder(local.kinesisClient(), stream);
        Path file = dir.resolve(ChaosLogs.PRODUCER);
        try (LineLog log = new LineLog(file);
                IdProducer producer = new IdProducer(local.kinesisClient(), stream, 20, 7, Duration.ofMillis(50), log)) {
            producer.start();
            Thread.sleep(500);
            resharder.split(resharder.openShards().get(0).shardId());
            Thread.sleep(500);
            producer.close();
            assertThat(producer.failure()).isNull();
            assertThat(producer.acknowledged()).isGreaterThan(50).isEqualTo(producer.idsIssued());
        }
        List<LogLine> writes = ChaosLogs.parse(Files.readAllLines(file), Map.of(), List.of()).writes();
        StreamAudit.Result audit = new StreamAudit(local.kinesisClient(), resharder).audit(writes);
        assertThat(audit.problems()).isEmpty();
        assertThat(audit.recordsInStream()).isEqualTo(writes.size());
        assertThat(audit.unacknowledgedRecords()).isZero();
        Map<String, Long> lastIdOfKey = new HashMap<>();
        for (LogLine write : writes) {
            long id = Long.parseLong(write.field(1));
            Long previous = lastIdOfKey.put(write.field(2), id);
            assertThat(previous == null || previous < id).as(write.quote()).isTrue();
        }
        assertThat(writes.stream().map(w -> w.field(3)).distinct().count()).as("shards written").isGreaterThan(2);

        List<LogLine> wrong = new ArrayList<>(writes);
        LogLine first = writes.get(0);
        wrong.set(0, LogLine.parse(first.text().replace(" " + first.field(4), " 1"), "producer.log:1"));
        assertThat(new StreamAudit(local.kinesisClient(), resharder).audit(wrong).problems()).singleElement()
                .asString().contains("does not hold the acknowledged record");
    }
}
