package dev.kclboot.core.fetch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;

import dev.kclboot.core.aws.AwsFailures;
import dev.kclboot.core.aws.FailureKind;
import dev.kclboot.core.backoff.ExponentialBackoff;
import dev.kclboot.core.metrics.EngineMetrics;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.core.stream.InitialPosition;
import dev.kclboot.core.stream.StreamRef;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Reads one shard with GetRecords, one call per {@link #read()}, never sleeping: the caller waits
 * {@link #delayBeforeNextRead()} between reads (a caught-up shard is read every idle time, give or take a random tenth
 * of it, minus how long the last call took: without the jitter, hundreds of caught-up shards started together keep
 * polling in phase and need a burst of fetching threads each second; a shard that is behind, with a full response or
 * millisBehindLatest &gt; 0, again at once but never more than
 * 5 times a second, Kinesis's per-shard limit), and the delay of a {@link FetchOutcome.RetryLater} (exponential
 * backoff with jitter for throttling, 5xx and I/O errors).
 * <p>
 * An expired iterator, or one the service keeps failing on, is replaced by a new one after the last record read, so
 * nothing is skipped or read twice. The exception: a shard started at LATEST whose first iterator expires before any
 * record was read gets a new LATEST iterator, so records written in between are skipped (the KCL does the same).
 * <p>
 * Not thread-safe: one read at a time (the consumer keeps at most one read in flight), from any thread; the steps of a
 * read happen one after another through its futures.
 */
public class PollingFetcher {

    private static final Logger logger = LoggerFactory.getLogger(PollingFetcher.class);

    private static final long MIN_CALL_INTERVAL_NANOS = Duration.ofMillis(200).toNanos();

    private static final int FAILURES_BEFORE_NEW_ITERATOR = 3;

    private static final int EXPIRED_ITERATOR_RETRIES = 3;

    private final KinesisReads reads;

    private final StreamRef stream;

    private final String shardId;

    private final int maxRecords;

    private final long idleNanos;

    private final RecordConverter converter;

    private final EngineMetrics metrics;

    private final ExponentialBackoff backoff = new ExponentialBackoff(Duration.ofMillis(200), Duration.ofSeconds(10));

    private @Nullable String iterator;

    private @Nullable String lastSequenceRead;

    private ExtendedSequenceNumber startPosition = ExtendedSequenceNumber.LATEST;

    private @Nullable Instant startTimestamp;

    private long lastCallStartNanos;

    private boolean catchingUp = true;

    /** The idle wait after the last call, jittered per call (see the class comment). */
    private long idleWaitNanos;

    private int failures;

    public PollingFetcher(KinesisReads reads, StreamRef stream, String shardId, int maxRecords, Duration idleTime,
            RecordConverter converter, EngineMetrics metrics) {
        this.reads = reads;
        this.stream = stream;
        this.shardId = shardId;
        this.maxRecords = maxRecords;
        this.idleNanos = idleTime.toNanos();
        this.converter = converter;
        this.metrics = metrics;
    }

    /**
     * Positions the fetcher: at the checkpoint's record (its already processed sub-records are filtered by the
     * consumer), or at the initial position when the checkpoint is a start sentinel.
     */
    public void start(ExtendedSequenceNumber checkpoint, InitialPosition initialPosition) {
        this.startPosition = checkpoint;
        this.startTimestamp = (checkpoint == ExtendedSequenceNumber.AT_TIMESTAMP) ? initialPosition.timestamp() : null;
        this.iterator = null;
        this.lastSequenceRead = null;
    }

    /** How long to wait before the next {@link #read()} to keep the pacing (zero before the first read). */
    public Duration delayBeforeNextRead() {
        if (lastCallStartNanos == 0) {
            return Duration.ZERO;
        }
        long interval = catchingUp ? MIN_CALL_INTERVAL_NANOS : Math.max(idleWaitNanos, MIN_CALL_INTERVAL_NANOS);
        return Duration.ofNanos(Math.max(0, interval - (System.nanoTime() - lastCallStartNanos)));
    }

    /**
     * One GetRecords call (preceded by GetShardIterator when needed), through the fetcher's {@link KinesisReads}; the
     * outcome never fails (a failure is a {@link FetchOutcome}), except with a {@code RejectedExecutionException}
     * when the worker is stopping.
     */
    public CompletableFuture<FetchOutcome> read() {
        return attempt(0);
    }

    private CompletableFuture<FetchOutcome> attempt(int expired) {
        String current = iterator;
        if (current != null) {
            return getRecords(current, expired);
        }
        CompletableFuture<GetShardIteratorResponse> call;
        try {
            call = reads.getShardIterator(newIteratorRequest());
        }
        catch (RuntimeException ex) {
            call = CompletableFuture.failedFuture(ex);
        }
        return call.handle((response, failure) -> {
            if (failure != null) {
                return failed(unwrap(failure), "kinesis:GetShardIterator", expired);
            }
            iterator = response.shardIterator();
            return getRecords(response.shardIterator(), expired);
        }).thenCompose(next -> next);
    }

    private CompletableFuture<FetchOutcome> getRecords(String current, int expired) {
        lastCallStartNanos = System.nanoTime();
        CompletableFuture<GetRecordsResponse> call;
        try {
            call = reads.getRecords(GetRecordsRequest.builder().shardIterator(current).limit(maxRecords).build());
        }
        catch (RuntimeException ex) {
            call = CompletableFuture.failedFuture(ex);
        }
        return call.handle((response, failure) -> {
            if (failure != null) {
                return failed(unwrap(failure), "kinesis:GetRecords", expired);
            }
            metrics.getRecordsCall(stream, shardId);
            failures = 0;
            return CompletableFuture.<FetchOutcome>completedFuture(new FetchOutcome.Records(accept(response)));
        }).thenCompose(next -> next);
    }

    private CompletableFuture<FetchOutcome> failed(Throwable failure, String action, int expired) {
        if (failure instanceof RejectedExecutionException rejected) {
            return CompletableFuture.failedFuture(rejected);
        }
        if (failure instanceof ExpiredIteratorException ex) {
            metrics.expiredIterator(stream, shardId);
            logger.info("Iterator of {} expired; continuing after {}", shardId,
                    lastSequenceRead == null ? startPosition : lastSequenceRead);
            iterator = null;
            if (expired + 1 >= EXPIRED_ITERATOR_RETRIES) {
                return CompletableFuture.completedFuture(retryLater(ex));
            }
            return attempt(expired + 1);
        }
        FetchOutcome outcome;
        if (failure instanceof SdkException ex) {
            outcome = switch (AwsFailures.kindOf(ex)) {
                case THROTTLED -> {
                    metrics.throttled(stream, shardId);
                    yield retryLater(ex);
                }
                case TRANSIENT -> retryLater(ex);
                case NOT_FOUND -> new FetchOutcome.NotFound(action, ex);
                default -> new FetchOutcome.Failed(action, ex);
            };
        }
        else {
            outcome = new FetchOutcome.Failed(action, failure instanceof Exception ex ? ex : new IllegalStateException(failure));
        }
        return CompletableFuture.completedFuture(outcome);
    }

    private static Throwable unwrap(Throwable failure) {
        return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
    }

    private FetchOutcome retryLater(Exception ex) {
        if (Thread.currentThread().isInterrupted() || causedByInterrupt(ex)) {
            // The worker is stopping and interrupted the call: nothing to report.
            return new FetchOutcome.RetryLater(backoff.delay(failures), ex);
        }
        Duration delay = backoff.delay(failures);
        failures++;
        if (failures >= FAILURES_BEFORE_NEW_ITERATOR) {
            // Some services (and emulators) answer a bad iterator with a 5xx: start from a fresh one.
            iterator = null;
        }
        logger.warn("Reading {} of {} failed ({}); retrying in {} ms", shardId, stream, AwsFailures.describe(ex),
                delay.toMillis());
        return new FetchOutcome.RetryLater(delay, ex);
    }

    private static boolean causedByInterrupt(Throwable failure) {
        for (Throwable current = failure; current != null; current = current.getCause()) {
            if (current instanceof InterruptedException || current.getClass().getSimpleName().equals("AbortedException")) {
                return true;
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return false;
    }

    private FetchResult accept(GetRecordsResponse response) {
        List<KinesisRecord> records = new ArrayList<>(response.records().size());
        for (Record record : response.records()) {
            records.addAll(converter.convert(shardId, record));
            lastSequenceRead = record.sequenceNumber();
        }
        iterator = response.nextShardIterator();
        Long behind = response.millisBehindLatest();
        boolean full = response.records().size() >= maxRecords;
        catchingUp = full || (behind != null && behind > 0);
        idleWaitNanos = idleNanos - idleNanos / 10
                + ThreadLocalRandom.current().nextLong(idleNanos / 5 + 1);
        boolean shardEnd = iterator == null;
        return new FetchResult(records, behind, shardEnd, response.hasChildShards() ? response.childShards() : List.of(),
                full);
    }

    private GetShardIteratorRequest newIteratorRequest() {
        GetShardIteratorRequest.Builder request = stream.applyTo(GetShardIteratorRequest.builder()).shardId(shardId);
        if (lastSequenceRead != null) {
            request.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).startingSequenceNumber(lastSequenceRead);
        }
        else if (!startPosition.isSentinel()) {
            // AT, not AFTER: the checkpoint may stop inside a KPL aggregate; what it covers is filtered out.
            request.shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER)
                    .startingSequenceNumber(startPosition.sequenceNumber());
        }
        else if (startPosition == ExtendedSequenceNumber.AT_TIMESTAMP && startTimestamp != null) {
            request.shardIteratorType(ShardIteratorType.AT_TIMESTAMP).timestamp(startTimestamp);
        }
        else if (startPosition == ExtendedSequenceNumber.LATEST) {
            request.shardIteratorType(ShardIteratorType.LATEST);
        }
        else {
            request.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
        }
        return request.build();
    }
}
