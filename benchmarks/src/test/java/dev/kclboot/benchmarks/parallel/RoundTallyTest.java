package dev.kclboot.benchmarks.parallel;

import java.nio.charset.StandardCharsets;

import dev.kclboot.core.record.KinesisRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RoundTallyTest {

    @Test
    void countsMissingDuplicatesAndRecordsOfAKeyOutOfWriteOrder() {
        RoundTally tally = new RoundTally(6, 2);
        // key0: 0, 2, 4; key1: 1, 3, 5
        tally.delivered(record(0));
        tally.delivered(record(2));
        tally.delivered(record(1));
        tally.delivered(record(2));
        tally.delivered(record(5));
        tally.delivered(record(3));
        assertThat(tally.finished()).isEqualTo(5);
        assertThat(tally.missing()).as("4 never finished").isEqualTo(1);
        assertThat(tally.duplicates()).isEqualTo(1);
        assertThat(tally.orderViolations()).as("2 after 2, 3 after 5").isEqualTo(2);
    }

    private static KinesisRecord record(int index) {
        return KinesisRecord.builder().shardId("shardId-000000000000").sequenceNumber(String.valueOf(100 + index))
                .partitionKey("key" + index % 2).data(Integer.toString(index).getBytes(StandardCharsets.UTF_8)).build();
    }
}
