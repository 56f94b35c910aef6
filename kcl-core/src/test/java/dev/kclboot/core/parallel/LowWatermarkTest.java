package dev.kclboot.core.parallel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.record.KinesisRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LowWatermarkTest {

    private static KinesisRecord record(long sequence, long sub) {
        return KinesisRecord.builder().shardId("shardId-000000000000").sequenceNumber(String.valueOf(sequence))
                .subSequenceNumber(sub).aggregated(sub > 0).partitionKey("k").data(new byte[0]).build();
    }

    @Test
    void theWatermarkStopsBeforeTheFirstRecordNotDone() {
        LowWatermark watermark = new LowWatermark();
        List<KinesisRecord> batch = List.of(record(10, 0), record(20, 0), record(30, 0));
        watermark.track(batch);
        assertThat(watermark.watermark()).isNull();
        assertThat(watermark.done(batch.get(1))).isFalse();
        assertThat(watermark.watermark()).as("20 is done but 10 is not").isNull();
        assertThat(watermark.oldestPending()).isEqualTo(ExtendedSequenceNumber.of("10"));
        assertThat(watermark.done(batch.get(0))).isTrue();
        assertThat(watermark.watermark()).isEqualTo(ExtendedSequenceNumber.of("20"));
        assertThat(watermark.pending()).isEqualTo(1);
        watermark.done(batch.get(2));
        assertThat(watermark.watermark()).isEqualTo(ExtendedSequenceNumber.of("30"));
        assertThat(watermark.allDone()).isTrue();
    }

    @Test
    void kplUserRecordsCountOneByOne() {
        LowWatermark watermark = new LowWatermark();
        List<KinesisRecord> aggregate = List.of(record(10, 0), record(10, 1), record(10, 2));
        watermark.track(aggregate);
        watermark.done(aggregate.get(0));
        watermark.done(aggregate.get(2));
        assertThat(watermark.watermark()).isEqualTo(ExtendedSequenceNumber.of("10", 0));
        watermark.done(aggregate.get(1));
        assertThat(watermark.watermark()).isEqualTo(ExtendedSequenceNumber.of("10", 2));
    }

    @Test
    void aRecordDoneTwiceOrNeverTrackedChangesNothing() {
        LowWatermark watermark = new LowWatermark();
        KinesisRecord first = record(1, 0);
        watermark.track(List.of(first, record(2, 0)));
        assertThat(watermark.done(first)).isTrue();
        assertThat(watermark.done(first)).isFalse();
        assertThat(watermark.done(record(99, 0))).isFalse();
        assertThat(watermark.watermark()).isEqualTo(ExtendedSequenceNumber.of("1"));
    }

    /** In any completion order, the watermark is exactly the longest done prefix, and never moves back. */
    @Test
    void randomCompletionOrdersNeverPassAnUnfinishedRecord() {
        Random random = new Random(3);
        for (int round = 0; round < 500; round++) {
            LowWatermark watermark = new LowWatermark();
            List<KinesisRecord> records = new ArrayList<>();
            int count = 1 + random.nextInt(40);
            for (int i = 0; i < count; i++) {
                records.add(record(100 + i / 3, i % 3));
            }
            int batches = 1 + random.nextInt(3);
            int per = (count + batches - 1) / batches;
            List<KinesisRecord> order = new ArrayList<>(records);
            Collections.shuffle(order, random);
            boolean[] done = new boolean[count];
            int tracked = 0;
            ExtendedSequenceNumber previous = null;
            for (KinesisRecord next : order) {
                int index = records.indexOf(next);
                while (tracked <= index) {
                    watermark.track(records.subList(tracked, Math.min(count, tracked + per)));
                    tracked = Math.min(count, tracked + per);
                }
                watermark.done(next);
                done[index] = true;
                int prefix = 0;
                while (prefix < count && done[prefix]) {
                    prefix++;
                }
                ExtendedSequenceNumber expected = prefix == 0 ? null : LowWatermark.positionOf(records.get(prefix - 1));
                assertThat(watermark.watermark()).isEqualTo(expected);
                if (previous != null) {
                    assertThat(watermark.watermark()).isGreaterThanOrEqualTo(previous);
                }
                previous = watermark.watermark();
            }
            assertThat(watermark.allDone()).isEqualTo(tracked == count);
        }
    }

    @Test
    void theLagInTimeIsFromTheOldestRecordNotDoneToTheNewestHandedOver() {
        LowWatermark watermark = new LowWatermark();
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        List<KinesisRecord> batch = List.of(arrived(1, start), arrived(2, start.plusMillis(300)),
                arrived(3, start.plusMillis(700)));
        watermark.track(batch);
        assertThat(watermark.lagMillis()).isEqualTo(700);
        watermark.done(batch.get(1));
        assertThat(watermark.lagMillis()).as("record 1 is still not done").isEqualTo(700);
        watermark.done(batch.get(0));
        assertThat(watermark.lagMillis()).isEqualTo(0);
        watermark.done(batch.get(2));
        assertThat(watermark.lagMillis()).isZero();
        watermark.track(List.of(record(4, 0)));
        assertThat(watermark.lagMillis()).as("arrival unknown").isZero();
    }

    private static KinesisRecord arrived(long sequence, Instant arrival) {
        return KinesisRecord.builder().shardId("shardId-000000000000").sequenceNumber(String.valueOf(sequence))
                .partitionKey("k").approximateArrivalTimestamp(arrival).data(new byte[0]).build();
    }
}
