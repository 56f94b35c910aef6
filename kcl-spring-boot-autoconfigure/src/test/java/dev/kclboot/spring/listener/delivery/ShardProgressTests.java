package dev.kclboot.spring.listener.delivery;

import java.nio.ByteBuffer;
import java.util.List;

import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.record.KinesisRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watermark-based shard progress, pure: records done out of order, a batch handed over again, KPL sub-records.
 */
class ShardProgressTests {

    private final ShardProgress progress = new ShardProgress();

    @Test
    void theWatermarkStopsBeforeTheFirstRecordNotDoneWhateverOrderRecordsFinishIn() {
        List<KinesisRecord> batch = List.of(record("1", 0), record("2", 0), record("3", 0), record("4", 0));
        assertThat(progress.delivered(batch)).containsExactlyElementsOf(batch);
        assertThat(progress.done(batch.get(2))).isFalse();
        assertThat(progress.done(batch.get(3))).isFalse();
        assertThat(progress.watermark()).isNull();
        assertThat(progress.hasUncheckpointed()).isFalse();
        assertThat(progress.done(batch.get(0))).isTrue();
        assertThat(progress.watermark()).isEqualTo(ExtendedSequenceNumber.of("1", 0));
        assertThat(progress.allDone()).isFalse();
        assertThat(progress.done(batch.get(1))).isTrue();
        assertThat(progress.watermark()).isEqualTo(ExtendedSequenceNumber.of("4", 0));
        assertThat(progress.allDone()).isTrue();
    }

    @Test
    void aBatchHandedOverAgainReturnsOnlyTheRecordsNotDoneEvenThoseBehindAPendingOne() {
        List<KinesisRecord> batch = List.of(record("1", 0), record("2", 0), record("3", 0), record("4", 0));
        progress.delivered(batch);
        progress.done(batch.get(0));
        progress.done(batch.get(2));
        List<KinesisRecord> again = List.of(record("1", 0), record("2", 0), record("3", 0), record("4", 0));
        assertThat(progress.delivered(again)).extracting(KinesisRecord::sequenceNumber).containsExactly("2", "4");
        progress.done(again.get(1));
        assertThat(progress.watermark()).isEqualTo(ExtendedSequenceNumber.of("3", 0));
        progress.done(again.get(3));
        assertThat(progress.allDone()).isTrue();
        assertThat(progress.delivered(again)).isEmpty();
    }

    @Test
    void checkpointsAreOwedOnlyWhileTheWatermarkIsPastTheLastOne() {
        List<KinesisRecord> batch = List.of(record("1", 0), record("2", 0));
        progress.delivered(batch);
        progress.done(batch.get(0));
        assertThat(progress.hasUncheckpointed()).isTrue();
        progress.checkpointed(ExtendedSequenceNumber.of("1", 0));
        assertThat(progress.hasUncheckpointed()).isFalse();
        progress.done(batch.get(1));
        assertThat(progress.hasUncheckpointed()).isTrue();
    }

    @Test
    void kplSubRecordsAreDoneOneByOne() {
        List<KinesisRecord> batch = List.of(record("5", 0), record("5", 1), record("5", 2), record("6", 0));
        progress.delivered(batch);
        progress.done(batch.get(0));
        progress.done(batch.get(2));
        assertThat(progress.watermark()).isEqualTo(ExtendedSequenceNumber.of("5", 0));
        assertThat(progress.delivered(batch)).extracting(KinesisRecord::subSequenceNumber).containsExactly(1L, 0L);
        progress.done(batch.get(1));
        assertThat(progress.watermark()).isEqualTo(ExtendedSequenceNumber.of("5", 2));
    }

    @Test
    void laterBatchesAreTrackedAfterTheEarlierOnes() {
        progress.delivered(List.of(record("1", 0), record("2", 0)));
        List<KinesisRecord> next = List.of(record("3", 0));
        assertThat(progress.delivered(next)).containsExactlyElementsOf(next);
        progress.done(next.get(0));
        assertThat(progress.watermark()).isNull();
        assertThat(progress.allDone()).isFalse();
    }

    static KinesisRecord record(String sequence, long sub) {
        return KinesisRecord.builder().shardId("shardId-000000000000").sequenceNumber(sequence)
                .subSequenceNumber(sub).aggregated(sub > 0 || sequence.equals("5")).partitionKey("pk")
                .data(ByteBuffer.wrap(sequence.getBytes())).build();
    }
}
