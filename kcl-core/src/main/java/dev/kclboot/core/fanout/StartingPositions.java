package dev.kclboot.core.fanout;

import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.stream.InitialPosition;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StartingPosition;

/**
 * Where a subscription starts: the first one of a tenure at the lease's checkpoint (or the initial position), every
 * later one right after the continuation sequence number of the last event delivered.
 */
final class StartingPositions {

    private StartingPositions() {
    }

    /**
     * At the checkpoint's record, not after it: the checkpoint may stop inside a KPL aggregate, and the consumer
     * filters out what it covers (as with polling).
     */
    static StartingPosition initial(ExtendedSequenceNumber checkpoint, InitialPosition initialPosition) {
        if (!checkpoint.isSentinel()) {
            return StartingPosition.builder().type(ShardIteratorType.AT_SEQUENCE_NUMBER)
                    .sequenceNumber(checkpoint.sequenceNumber()).build();
        }
        if (checkpoint == ExtendedSequenceNumber.AT_TIMESTAMP && initialPosition.timestamp() != null) {
            return StartingPosition.builder().type(ShardIteratorType.AT_TIMESTAMP)
                    .timestamp(initialPosition.timestamp()).build();
        }
        if (checkpoint == ExtendedSequenceNumber.LATEST) {
            return StartingPosition.builder().type(ShardIteratorType.LATEST).build();
        }
        return StartingPosition.builder().type(ShardIteratorType.TRIM_HORIZON).build();
    }

    static StartingPosition after(String continuationSequenceNumber) {
        return StartingPosition.builder().type(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                .sequenceNumber(continuationSequenceNumber).build();
    }
}
