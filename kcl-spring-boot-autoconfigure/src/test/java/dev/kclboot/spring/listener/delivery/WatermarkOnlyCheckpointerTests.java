package dev.kclboot.spring.listener.delivery;

import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.NoCheckpoints;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * With a concurrency above 1 a listener's checkpointer refuses every form of write (only the watermark may be
 * checkpointed) and still answers where the checkpoint is and whether the lease is held.
 */
class WatermarkOnlyCheckpointerTests {

    @Test
    void everyWriteIsRefusedNamingTheListenerAndTheShard() {
        WatermarkOnlyCheckpointer checkpointer = new WatermarkOnlyCheckpointer(
                NoCheckpoints.forShard("shardId-000000000003"), "orders");
        KinesisRecord record = KinesisRecord.builder().shardId(checkpointer.shardId()).sequenceNumber("5")
                .partitionKey("k").data(new byte[0]).build();
        assertThatIllegalStateException().isThrownBy(checkpointer::checkpoint)
                .withMessageContaining("Listener 'orders'").withMessageContaining(checkpointer.shardId())
                .withMessageContaining("low watermark");
        assertThatIllegalStateException().isThrownBy(() -> checkpointer.checkpoint("5"));
        assertThatIllegalStateException().isThrownBy(() -> checkpointer.checkpoint("5", 0));
        assertThatIllegalStateException().isThrownBy(() -> checkpointer.checkpoint(record));
        assertThat(checkpointer.lastCheckpoint()).isEqualTo(ExtendedSequenceNumber.TRIM_HORIZON);
        assertThat(checkpointer.isLeaseHeld()).isTrue();
        assertThat(checkpointer.shardId()).isEqualTo("shardId-000000000003");
    }
}
