package dev.kclboot.multilang.processor;

import java.util.List;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.processor.RecordProcessor;
import dev.kclboot.core.processor.ShardFailedException;
import dev.kclboot.core.processor.ShutdownReason;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.multilang.child.ChildFailedException;
import dev.kclboot.multilang.child.ChildProcess;
import dev.kclboot.multilang.child.ChildStartException;
import dev.kclboot.multilang.protocol.HostAction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's processor for one lease tenure, backed by one child process: {@code initialize} starts the child and
 * sends {@code initialize} with the lease's checkpoint; each batch is a {@code processRecords} exchange (with the
 * shard's {@code millisBehindLatest}) in which the child may checkpoint; the end is {@code shardEnded} (TERMINATE),
 * {@code leaseLost} (ZOMBIE) or {@code shutdownRequested} then {@code leaseLost} (REQUESTED: the host stops, or
 * another worker asked for the lease), after which the child's stdin is closed and it exits.
 * <p>
 * A child that fails (it cannot be started, exits, hangs past the timeout, breaks the protocol) ends only this
 * tenure: the child is killed and a {@link ShardFailedException} tells the engine, which releases the lease and keeps
 * this worker off the shard for its consumer-failure backoff; the shard then restarts from its checkpoint (here or on
 * another worker) with a new child. Records after the checkpoint are delivered again, never skipped. The KCL daemon
 * instead exits the whole JVM.
 */
final class MultiLangShardProcessor implements RecordProcessor {

    private static final Logger logger = LoggerFactory.getLogger(MultiLangShardProcessor.class);

    private final ShardProcessorContext context;

    private String shardId = "?";

    private @Nullable ChildProcess child;

    private @Nullable Conversation conversation;

    MultiLangShardProcessor(ShardProcessorContext context) {
        this.context = context;
    }

    /** Not called by the engine, which calls {@link #initialize(String, ExtendedSequenceNumber)}. */
    @Override
    public void initialize(String shardId) {
        throw new UnsupportedOperationException("A MultiLang child needs its lease's checkpoint: "
                + "initialize(shardId, checkpoint)");
    }

    /**
     * Starts the child and sends it {@code initialize} with the checkpoint as the lease table has it (a sentinel such
     * as {@code TRIM_HORIZON} with 0 for a new lease).
     * @throws ShardFailedException when the host is stopping or the child failed to start or to initialize
     */
    @Override
    public void initialize(String shardId, ExtendedSequenceNumber checkpoint) {
        this.shardId = shardId;
        if (context.starts().isStopped()) {
            // Starting a child now would only kill it again; the engine releases the lease.
            throw new ShardFailedException("The host is stopping; no record processor is started for " + shardId);
        }
        ChildProcess started;
        try {
            started = context.launcher().launch(shardId);
        }
        catch (ChildStartException ex) {
            context.metrics().failed(shardId, ChildFailedException.Reason.START_FAILED);
            throw endOfTenure(ex.getMessage(), ex);
        }
        child = started;
        Conversation current = new Conversation(started, context.timeout());
        conversation = current;
        context.children().add(started);
        context.metrics().started();
        logger.info("Started {} at checkpoint {}", started, checkpoint);
        try {
            current.exchange(HostAction.INITIALIZE, writer -> writer.initialize(shardId, checkpoint.sequenceNumber(),
                    checkpoint.subSequenceNumber()), null);
        }
        catch (ChildFailedException ex) {
            throw failed(ex);
        }
    }

    /** Not called by the engine, which calls the form with {@code millisBehindLatest}; sends it as unknown (null). */
    @Override
    public void processRecords(List<KinesisRecord> records, Checkpointer checkpointer) {
        processRecords(records, checkpointer, null);
    }

    /**
     * One {@code processRecords} exchange; the child's checkpoints on the way go to the checkpointer.
     * @throws ShardFailedException when the child failed: the tenure ends and the shard restarts from its checkpoint
     */
    @Override
    public void processRecords(List<KinesisRecord> records, Checkpointer checkpointer,
            @Nullable Long millisBehindLatest) {
        Conversation current = conversation;
        if (current == null) {
            throw endOfTenure("The record processor of " + shardId + " is gone", null);
        }
        try {
            current.exchange(HostAction.PROCESS_RECORDS, writer -> writer.processRecords(records, millisBehindLatest),
                    checkpointer);
        }
        catch (ChildFailedException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void shutdown(Checkpointer checkpointer, ShutdownReason reason) {
        Conversation current = conversation;
        ChildProcess running = child;
        if (current == null || running == null) {
            return; // The child failed (or never started); the engine already knows.
        }
        try {
            switch (reason) {
                case TERMINATE -> current.exchange(HostAction.SHARD_ENDED, writer -> writer.shardEnded(), checkpointer);
                case ZOMBIE -> current.exchange(HostAction.LEASE_LOST, writer -> writer.leaseLost(), null);
                case REQUESTED -> {
                    // As the KCL 3 daemon does for a graceful stop and for a lease handed over to another worker.
                    current.exchange(HostAction.SHUTDOWN_REQUESTED, writer -> writer.shutdownRequested(), checkpointer);
                    current.exchange(HostAction.LEASE_LOST, writer -> writer.leaseLost(), null);
                }
            }
            int exitCode = running.endInputAndAwaitExit(context.exitWait());
            if (exitCode == 0) {
                logger.info("{} exited after {} ({})", running, reason, reason == ShutdownReason.TERMINATE
                        ? "shard ended" : reason == ShutdownReason.ZOMBIE ? "lease lost" : "shutdown requested");
            }
            else {
                logger.warn("{} exited with code {} after {}", running, exitCode, reason);
            }
        }
        catch (ChildFailedException ex) {
            // Nothing to end any more: the engine finishes the tenure after shutdown either way.
            failed(ex);
        }
        finally {
            context.children().remove(running);
            child = null;
            conversation = null;
        }
    }

    /** Ends a child that failed and counts the failure; returns what ends the tenure. */
    private ShardFailedException failed(ChildFailedException failure) {
        ChildProcess failedChild = child;
        child = null;
        conversation = null;
        if (failedChild != null) {
            failedChild.kill();
            failedChild.awaitGone();
            context.children().remove(failedChild);
        }
        if (context.starts().isStopped()) {
            // Killed at the end of the shutdown grace, or exited on a signal meant for the host: not a failure.
            logger.info("{} ended while the host stops: {}", failedChild == null ? shardId : failedChild,
                    failure.getMessage());
            return new ShardFailedException(failure.getMessage() + " while the host stops", failure);
        }
        context.metrics().failed(shardId, failure.reason());
        return endOfTenure(failure.getMessage(), failure);
    }

    private ShardFailedException endOfTenure(String what, @Nullable Throwable cause) {
        String message = what + ". Ending only this shard: it restarts from its last checkpoint with a new record "
                + "processor after the consumer-failure backoff";
        return cause == null ? new ShardFailedException(message) : new ShardFailedException(message, cause);
    }
}
