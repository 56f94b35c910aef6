package dev.kclboot.multilang.processor;

import java.util.List;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.processor.RecordProcessor;
import dev.kclboot.core.processor.ShutdownReason;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.multilang.child.ChildFailedException;
import dev.kclboot.multilang.child.ChildProcess;
import dev.kclboot.multilang.child.ChildStartException;
import dev.kclboot.multilang.lease.LeasePosition;
import dev.kclboot.multilang.protocol.HostAction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's processor for one lease tenure, backed by one child process: {@code initialize} starts the child and
 * sends {@code initialize} with the lease's checkpoint; each batch is a {@code processRecords} exchange in which the
 * child may checkpoint; the end is {@code shardEnded} (TERMINATE), {@code leaseLost} (ZOMBIE) or
 * {@code shutdownRequested} then {@code leaseLost} (REQUESTED), after which the child's stdin is closed and it exits.
 * <p>
 * A child that fails (exits, hangs past the timeout, breaks the protocol) ends only this tenure: the child is killed,
 * the lease is given up and the engine's lease-lost path ends the tenure; the shard then restarts from its checkpoint
 * (here or on another worker) with a new child after a backoff. Records after the checkpoint are delivered again,
 * never skipped. The KCL daemon instead exits the whole JVM.
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

    @Override
    public void initialize(String shardId) {
        this.shardId = shardId;
        if (!context.backoff().awaitTurn(shardId)) {
            // The host is stopping: starting a child now would only kill it again. The engine gives the lease up.
            throw new IllegalStateException("The host is stopping; no record processor is started for " + shardId);
        }
        LeasePosition checkpoint = context.leases().checkpointOf(shardId);
        ChildProcess started;
        try {
            started = context.launcher().launch(shardId);
        }
        catch (ChildStartException ex) {
            context.metrics().failed(shardId, ChildFailedException.Reason.START_FAILED);
            context.backoff().failed(shardId);
            throw ex;
        }
        child = started;
        conversation = new Conversation(started, context.timeout());
        context.children().add(started);
        context.metrics().started();
        logger.info("Started {} at checkpoint {}{}", started, checkpoint.sequenceNumber(),
                checkpoint.subSequenceNumber() == null || checkpoint.subSequenceNumber() == 0 ? ""
                        : "/" + checkpoint.subSequenceNumber());
        try {
            conversation.exchange(HostAction.INITIALIZE,
                    writer -> writer.initialize(shardId, checkpoint.sequenceNumber(), checkpoint.subSequenceNumber()),
                    null);
        }
        catch (ChildFailedException ex) {
            // The engine releases the lease of a processor that fails to initialize; the next take is the backoff.
            failed(ex);
            throw ex;
        }
    }

    @Override
    public void processRecords(List<KinesisRecord> records, Checkpointer checkpointer) {
        Conversation current = conversation;
        if (current == null) {
            abandon(checkpointer, new ChildFailedException(ChildFailedException.Reason.EXITED,
                    "The record processor of " + shardId + " is gone"));
            return;
        }
        try {
            current.exchange(HostAction.PROCESS_RECORDS,
                    writer -> writer.processRecords(records, context.leases().millisBehindLatest(shardId)),
                    checkpointer);
            context.backoff().succeeded(shardId);
        }
        catch (ChildFailedException ex) {
            failed(ex);
            abandon(checkpointer, ex);
        }
    }

    @Override
    public void shutdown(Checkpointer checkpointer, ShutdownReason reason) {
        Conversation current = conversation;
        ChildProcess running = child;
        if (current == null || running == null) {
            return;
        }
        try {
            switch (reason) {
                case TERMINATE -> current.exchange(HostAction.SHARD_ENDED, writer -> writer.shardEnded(), checkpointer);
                case ZOMBIE -> current.exchange(HostAction.LEASE_LOST, writer -> writer.leaseLost(), null);
                case REQUESTED -> {
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
            failed(ex);
        }
        finally {
            context.children().remove(running);
            child = null;
            conversation = null;
        }
    }

    /** Ends a child that failed; the shard backs off before its next child. */
    private void failed(ChildFailedException failure) {
        ChildProcess failedChild = child;
        child = null;
        conversation = null;
        if (failedChild != null) {
            failedChild.kill();
            failedChild.awaitGone();
            context.children().remove(failedChild);
        }
        if (context.backoff().isStopping()) {
            // Killed at the end of the shutdown grace, or exited on a signal meant for the host: not a failure.
            logger.info("{} ended while the host stops: {}", failedChild == null ? shardId : failedChild,
                    failure.getMessage());
            return;
        }
        context.metrics().failed(shardId, failure.reason());
        context.backoff().failed(shardId);
        int failures = context.backoff().failuresInARow(shardId);
        logger.warn("{}. Ending only this shard: its lease is given up and it restarts from its last checkpoint with "
                + "a new record processor in {} ms (failure {} in a row)", failure.getMessage(),
                context.backoff().delayAfter(failures).toMillis(), failures);
    }

    /**
     * Gives the lease up and waits until the engine sees it lost, then throws: the engine does not deliver the next
     * batch to a tenure whose lease is gone, and shuts this processor down as ZOMBIE.
     */
    private void abandon(Checkpointer checkpointer, ChildFailedException cause) {
        context.releaser().release(shardId);
        long deadline = System.nanoTime() + context.leaseLossWait().toNanos();
        while (checkpointer.isLeaseHeld() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(20);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new ShardAbandonedException("The record processor of " + shardId + " failed; the shard restarts from "
                + "its checkpoint", cause);
    }
}
