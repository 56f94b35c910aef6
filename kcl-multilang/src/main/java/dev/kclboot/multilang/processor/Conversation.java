package dev.kclboot.multilang.processor;

import java.time.Duration;
import java.util.function.Consumer;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.multilang.child.ChildFailedException;
import dev.kclboot.multilang.child.ChildFailedException.Reason;
import dev.kclboot.multilang.child.ChildProcess;
import dev.kclboot.multilang.protocol.ChildLineParser;
import dev.kclboot.multilang.protocol.ChildMessage;
import dev.kclboot.multilang.protocol.CheckpointErrorNames;
import dev.kclboot.multilang.protocol.HostAction;
import dev.kclboot.multilang.protocol.MessageWriter;
import dev.kclboot.multilang.protocol.ParsedLine;
import dev.kclboot.multilang.protocol.ProtocolViolationException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One message exchange with a child, as the daemon's protocol runs it: write the message, then read lines until the
 * child's {@code status}; each {@code checkpoint} line on the way is carried out at once (where the message allows
 * it, else refused with {@code InvalidStateException}) and answered with exactly one reply. Blank lines are expected;
 * other stray output (a {@code print} to stdout, an unknown action) is logged with the shard id and skipped.
 * <p>
 * With a timeout, the child must answer each message and each checkpoint reply in that time (stray lines do not
 * count as an answer), otherwise it is killed: a hung child ends its own shard only.
 */
final class Conversation {

    private static final Logger childLog = LoggerFactory.getLogger("dev.kclboot.multilang.child");

    private final ChildProcess child;

    private final @Nullable Duration timeout;

    private final ChildLineParser parser = new ChildLineParser();

    Conversation(ChildProcess child, @Nullable Duration timeout) {
        this.child = child;
        this.timeout = timeout;
    }

    /**
     * @param checkpointer the checkpointer for the child's checkpoint requests, null where none are allowed
     * @throws ChildFailedException when the child exited, timed out or broke the protocol
     */
    void exchange(HostAction action, Consumer<MessageWriter> message, @Nullable Checkpointer checkpointer) {
        child.send(message, timeout);
        long deadline = deadline();
        while (true) {
            String line = child.nextLine(timeout == null ? -1 : Math.max(0, deadline - System.nanoTime()));
            if (line == null) {
                child.killForTimeout();
                throw new ChildFailedException(Reason.TIMED_OUT, "The record processor of " + child.shardId()
                        + " did not answer " + action.wireName() + " within " + timeout.toSeconds()
                        + " s (timeoutInSeconds); killed it");
            }
            ParsedLine parsed;
            try {
                parsed = parser.parse(line);
            }
            catch (ProtocolViolationException ex) {
                throw violation(action, ex.getMessage());
            }
            if (parsed.isBlank()) {
                continue;
            }
            if (parsed.isStray()) {
                childLog.info("{} [pid {}] stdout, not protocol ({}): {}", child.shardId(), child.pid(),
                        parsed.strayReason(), line);
                continue;
            }
            if (parsed.message() instanceof ChildMessage.Status status) {
                if (!status.responseFor().equals(action.wireName())) {
                    throw violation(action, "it answered " + action.wireName() + " with a status for "
                            + status.responseFor());
                }
                return;
            }
            ChildMessage.CheckpointRequest request = (ChildMessage.CheckpointRequest) parsed.message();
            String error = (action.checkpointAllowed() && checkpointer != null)
                    ? CheckpointHandler.checkpoint(checkpointer, request)
                    : CheckpointErrorNames.INVALID_STATE;
            child.send(writer -> writer.checkpointReply(request.sequenceNumber(), request.subSequenceNumber(), error),
                    timeout);
            deadline = deadline();
        }
    }

    private long deadline() {
        return timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    }

    private ChildFailedException violation(HostAction action, String what) {
        return new ChildFailedException(Reason.PROTOCOL_VIOLATION, "The record processor of " + child.shardId()
                + " broke the protocol while handling " + action.wireName() + ": " + what);
    }
}
