package dev.kclboot.spring.listener.delivery;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.parallel.KeyOrderedProcessorFactory;
import dev.kclboot.core.parallel.KeyOrderedRecordProcessor;
import dev.kclboot.core.parallel.RecordNotDoneException;
import dev.kclboot.core.processor.RecordProcessor;
import dev.kclboot.core.processor.ShutdownReason;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.KinesisBatchListener;
import dev.kclboot.spring.listener.KinesisListenerSettings;
import dev.kclboot.spring.listener.KinesisRecordListener;
import io.micrometer.core.instrument.Meter;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's record processor for one shard of a listener container with a concurrency above 1: kcl-core's
 * {@link KeyOrderedRecordProcessor} dispatches the shard's records by partition key (a key's records one at a time in
 * shard order, different keys at once, at most the window in flight) and checkpoints the low watermark; each record,
 * or each key group of a batch for a batch listener, goes through the same steps as with a concurrency of 1: the
 * filter, then a {@link RetryingDelivery} with its retries, backoff, bisecting, age limit and recoverer. A failing
 * record therefore blocks its key only.
 * <p>
 * A record is done for the watermark when its delivery returned true (succeeded, recovered, filtered or expired).
 * When the delivery ends without that (the container stops, stopped because of a record, or the lease is gone) the
 * record is given up for this tenure ({@link RecordNotDoneException}): its key stops, the checkpoint stays before it,
 * and the next owner delivers it again. The checkpoint mode sets how often the watermark is written: RECORD at every
 * move, BATCH at most once a second, PERIODIC at its interval (see the container, which builds the factory).
 */
public final class KeyOrderedListenerProcessor implements RecordProcessor {

    private static final Logger logger = LoggerFactory.getLogger(KeyOrderedListenerProcessor.class);

    private final DeliveryContainer container;

    private final KinesisListenerSettings settings;

    private final String streamName;

    private final RetryingDelivery delivery;

    private final FilterStep filter;

    private final KeyOrderedRecordProcessor processor;

    private final Duration callsGrace;

    private String shardId = "?";

    private @Nullable ParallelShardState state;

    private @Nullable Meter iteratorAge;

    /** The engine's checkpointer of this tenure, as the listener may see it; set before the first dispatch. */
    private volatile @Nullable Checkpointer listenerCheckpointer;

    /**
     * @param container the listener container
     * @param streamName the stream of the shard
     * @param factory makes the key-ordered processor (with the container's settings and threads)
     * @param callsGrace how long a shutdown waits for listener calls still running once nothing more is dispatched
     * (after a lost lease: with a concurrency of 1 the engine waits for the call, and so does this)
     */
    public KeyOrderedListenerProcessor(DeliveryContainer container, String streamName,
            KeyOrderedProcessorFactory factory, Duration callsGrace) {
        this.container = container;
        this.callsGrace = callsGrace;
        this.settings = container.getSettings();
        this.streamName = streamName;
        this.delivery = new RetryingDelivery(container, streamName, Clock.systemUTC());
        this.filter = new FilterStep(settings, streamName, container.getMetrics());
        this.processor = settings.batch() ? factory.createForBatches(streamName, this::deliverGroup)
                : factory.create(streamName, this::deliverRecord);
    }

    @Override
    public void initialize(String shardId) {
        this.shardId = shardId;
        ParallelShardState state = new ParallelShardState(streamName, shardId, Clock.systemUTC());
        this.state = state;
        container.shardStarted(state);
        this.iteratorAge = container.getMetrics().shardStarted(settings, streamName, shardId, state::iteratorAgeMillis);
        processor.initialize(shardId);
        logger.debug("Listener '{}' starts shard {} of stream {} with concurrency {}", settings.id(), shardId,
                streamName, settings.delivery().concurrency());
    }

    @Override
    public void processRecords(List<KinesisRecord> records, Checkpointer checkpointer) {
        if (!container.isActive()) {
            throw new RecordsNotProcessedException(settings.id(), shardId, streamName);
        }
        if (listenerCheckpointer == null) {
            listenerCheckpointer = new WatermarkOnlyCheckpointer(checkpointer, settings.id());
        }
        processor.processRecords(records, checkpointer);
    }

    @Override
    public void shutdown(Checkpointer checkpointer, ShutdownReason reason) {
        logger.debug("Listener '{}' stops shard {} of stream {}: {}", settings.id(), shardId, streamName, reason);
        try {
            // In flight records finish first (bounded by the drain time), so health shows the shard until then.
            processor.shutdown(checkpointer, reason);
            awaitCalls();
        }
        finally {
            ParallelShardState current = state;
            if (current != null) {
                container.shardStopped(current);
            }
            container.getMetrics().shardStopped(iteratorAge);
        }
    }

    /**
     * Waits, at most the grace, until no listener call of this tenure runs any more: after a lost lease the processor
     * stops dispatching at once, and the calls still running end at their next look at the lease; a next tenure of
     * this shard on this instance must not deliver a key while the old one still does.
     */
    private void awaitCalls() {
        ParallelShardState current = state;
        if (current == null) {
            return;
        }
        long deadline = System.nanoTime() + callsGrace.toNanos();
        while (current.openLanes() > 0 && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(20);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (current.openLanes() > 0) {
            logger.warn("Listener '{}' still has {} call(s) running for shard {} of stream {} after {}; they are "
                    + "abandoned and their records come again with the next owner", settings.id(),
                    current.openLanes(), shardId, streamName, callsGrace);
        }
    }

    private void deliverRecord(KinesisRecord record) {
        Lane lane = openLane();
        try {
            List<KinesisRecord> accepted = filter.accepted(List.of(record), lane.done());
            if (!accepted.isEmpty() && !delivery.deliverRecord((KinesisRecordListener) container.getListener(),
                    record, lane.checkpointer(), lane.state(), lane.done())) {
                throw notDone(record);
            }
        }
        finally {
            lane.close();
        }
    }

    private void deliverGroup(List<KinesisRecord> records) {
        Lane lane = openLane();
        try {
            List<KinesisRecord> accepted = filter.accepted(records, lane.done());
            if (!accepted.isEmpty() && !delivery.deliverBatch((KinesisBatchListener) container.getListener(),
                    accepted, lane.checkpointer(), lane.state(), lane.done())) {
                throw notDone(accepted.get(0));
            }
        }
        finally {
            lane.close();
        }
    }

    private RecordNotDoneException notDone(KinesisRecord record) {
        return new RecordNotDoneException("Listener '" + settings.id() + "' did not finish record "
                + record.sequenceNumber() + " of shard " + shardId + " (the container stops, or the lease is gone)");
    }

    private Lane openLane() {
        ParallelShardState shard = state;
        Checkpointer checkpointer = listenerCheckpointer;
        if (shard == null || checkpointer == null) {
            throw new IllegalStateException("A record of listener '" + settings.id() + "' was dispatched before its "
                    + "shard processor was initialized");
        }
        return new Lane(shard, shard.openLane(), checkpointer);
    }

    /** One delivery in progress: its lane of the shard's state, and the checkpointer the listener sees. */
    private record Lane(ParallelShardState shard, ShardDeliveryState state, Checkpointer checkpointer) {

        DoneRecords done() {
            return records -> state.done(records.get(records.size() - 1));
        }

        void close() {
            shard.closeLane(state);
        }
    }
}
