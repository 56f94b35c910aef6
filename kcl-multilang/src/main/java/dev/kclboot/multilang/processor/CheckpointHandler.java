package dev.kclboot.multilang.processor;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.multilang.protocol.ChildMessage.CheckpointRequest;
import dev.kclboot.multilang.protocol.CheckpointErrorNames;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a child's checkpoint request on the engine's {@link Checkpointer}, synchronously as the daemon does:
 * {@code (seq, sub)} → {@code checkpoint(seq, sub)}, {@code (seq, null)} → {@code checkpoint(seq)}, {@code (null, *)}
 * → {@code checkpoint()}. Returns the reply's error name, null on success.
 */
final class CheckpointHandler {

    private static final Logger logger = LoggerFactory.getLogger(CheckpointHandler.class);

    private CheckpointHandler() {
    }

    static @Nullable String checkpoint(Checkpointer checkpointer, CheckpointRequest request) {
        if (request.problem() != null) {
            logger.warn("Checkpoint request of {} refused: {}", checkpointer.shardId(), request.problem());
            return CheckpointErrorNames.ILLEGAL_ARGUMENT;
        }
        try {
            if (request.sequenceNumber() == null) {
                checkpointer.checkpoint();
            }
            else if (request.subSequenceNumber() == null) {
                checkpointer.checkpoint(request.sequenceNumber());
            }
            else {
                checkpointer.checkpoint(request.sequenceNumber(), request.subSequenceNumber());
            }
            return null;
        }
        catch (RuntimeException ex) {
            String name = CheckpointErrorNames.of(ex);
            logger.info("Checkpoint of {} at {} failed: {} ({})", checkpointer.shardId(),
                    request.sequenceNumber() == null ? "the last record" : request.sequenceNumber(), name, ex.getMessage());
            return name;
        }
    }
}
