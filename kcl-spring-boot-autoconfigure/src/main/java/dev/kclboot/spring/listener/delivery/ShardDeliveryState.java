package dev.kclboot.spring.listener.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.ShardStatus;
import org.jspecify.annotations.Nullable;

/**
 * The live state behind a {@link ShardStatus}: written by the thread delivering the shard's records, read by health
 * checks and the iterator-age gauge on other threads (hence synchronized; the writes are a few per listener call).
 */
public final class ShardDeliveryState implements ShardStatusSource {

    private final String stream;

    private final String shardId;

    private final Clock clock;

    private @Nullable String sequenceNumber;

    private @Nullable Instant pendingArrival;

    private int attempts;

    private @Nullable Instant failingSince;

    private @Nullable String lastFailure;

    private @Nullable Instant inCallSince;

    private long lastDoneAgeMillis;

    ShardDeliveryState(String stream, String shardId, Clock clock) {
        this.stream = stream;
        this.shardId = shardId;
        this.clock = clock;
    }

    /** Delivery of a record (or of a batch from this record on) begins. */
    synchronized void started(KinesisRecord first) {
        if (!first.sequenceNumber().equals(sequenceNumber)) {
            sequenceNumber = first.sequenceNumber();
            attempts = 0;
            failingSince = null;
            lastFailure = null;
        }
        pendingArrival = first.approximateArrivalTimestamp();
    }

    /** A listener or recoverer call begins. */
    synchronized void callStarted() {
        attempts++;
        inCallSince = clock.instant();
    }

    synchronized void callSucceeded() {
        inCallSince = null;
    }

    synchronized void callFailed(Throwable failure) {
        inCallSince = null;
        if (failingSince == null) {
            failingSince = clock.instant();
        }
        String message = failure.getMessage();
        lastFailure = failure.getClass().getName() + ((message != null) ? ": " + message : "");
    }

    /** Every record up to and including this one is done (succeeded or recovered). */
    synchronized void done(KinesisRecord last) {
        Instant arrival = last.approximateArrivalTimestamp();
        lastDoneAgeMillis = (arrival != null) ? Math.max(0, clock.millis() - arrival.toEpochMilli()) : 0;
        sequenceNumber = null;
        pendingArrival = null;
        attempts = 0;
        failingSince = null;
        lastFailure = null;
        inCallSince = null;
    }

    @Override
    public synchronized double iteratorAgeMillis() {
        if (pendingArrival != null) {
            return Math.max(0, clock.millis() - pendingArrival.toEpochMilli());
        }
        return lastDoneAgeMillis;
    }

    @Override
    public synchronized ShardStatus snapshot() {
        return new ShardStatus(stream, shardId, sequenceNumber, attempts, failingSince, lastFailure, inCallSince,
                Duration.ofMillis((long) iteratorAgeMillis()));
    }
}
