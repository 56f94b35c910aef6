package dev.kclboot.spring.listener.delivery;

import java.util.ArrayList;
import java.util.List;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.record.KinesisRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Every form of checkpoint a listener can call is scoped to the records of its invocation.
 */
class ScopedCheckpointerTests {

    private static KinesisRecord record(String sequenceNumber, long subSequenceNumber) {
        return KinesisRecord.builder().shardId("shardId-000000000000").sequenceNumber(sequenceNumber)
                .subSequenceNumber(subSequenceNumber).aggregated(subSequenceNumber > 0).partitionKey("k")
                .data(new byte[0]).build();
    }

    /** Records each call as the form it came in: "seq", "seq/sub" or "record seq/sub". */
    private static final class Calls implements Checkpointer {

        final List<String> checkpoints = new ArrayList<>();

        @Override
        public void checkpoint() {
            checkpoints.add("SHARD_END");
        }

        @Override
        public void checkpoint(String sequenceNumber) {
            checkpoints.add(sequenceNumber);
        }

        @Override
        public void checkpoint(String sequenceNumber, long subSequenceNumber) {
            checkpoints.add(sequenceNumber + "/" + subSequenceNumber);
        }

        @Override
        public void checkpoint(KinesisRecord record) {
            checkpoints.add("record " + record.sequenceNumber() + "/" + record.subSequenceNumber());
        }

        @Override
        public String shardId() {
            return "shardId-000000000000";
        }

        @Override
        public ExtendedSequenceNumber lastCheckpoint() {
            return ExtendedSequenceNumber.TRIM_HORIZON;
        }

        String last() {
            return checkpoints.get(checkpoints.size() - 1);
        }
    }

    private final Calls engine = new Calls();

    private final ScopedCheckpointer scoped = new ScopedCheckpointer(engine, record("200", 2));

    @Test
    void checkpointCoversTheLastRecordSeen() {
        scoped.checkpoint();
        assertThat(engine.last()).isEqualTo("record 200/2");
    }

    @Test
    void positionsUpToTheLastRecordSeenPassThrough() {
        scoped.checkpoint("100");
        scoped.checkpoint("200", 1);
        scoped.checkpoint(record("200", 2));
        assertThat(engine.checkpoints).containsExactly("100", "200/1", "record 200/2");
    }

    @Test
    void theSequenceNumberOfTheLastRecordCoversOnlyTheSubRecordsSeen() {
        scoped.checkpoint("200");
        assertThat(engine.checkpoints).as("checkpointed as the record 200/2, not the whole aggregate")
                .containsExactly("record 200/2");
    }

    @Test
    void positionsBeyondTheRecordsSeenAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> scoped.checkpoint("300"))
                .withMessageContaining("seen records up to 200/2 only");
        assertThatIllegalArgumentException().isThrownBy(() -> scoped.checkpoint("200", 3));
        assertThatIllegalArgumentException().isThrownBy(() -> scoped.checkpoint(record("201", 0)));
        assertThatIllegalArgumentException().isThrownBy(() -> scoped.checkpoint("not-a-number"));
        assertThat(engine.checkpoints).isEmpty();
    }
}
