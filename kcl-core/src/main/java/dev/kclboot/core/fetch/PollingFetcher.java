package dev.kclboot.core.fetch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.kclboot.core.stream.InitialPosition;
import dev.kclboot.core.backoff.ExponentialBackoff;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.metrics.EngineMetrics;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.core.stream.StreamRef;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.KmsThrottlingException;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Reads one shard with GetRecords. Paces itself: a caught-up shard is read every idle time (minus how long the last
 * call took); a shard that is behind (full response or millisBehindLatest &gt; 0) is read again at once, but never
 * more than 5 times a second (Kinesis's per-shard limit). Throttling, 5xx and I/O errors back off exponentially with
 * jitter. An expired iterator, or one the service keeps failing on, is replaced by a new one after the last record
 * read, so nothing is skipped or read twice.
 */
public class PollingFetcher {

    private static final Logger logger = LoggerFactory.getLogger(PollingFetcher.class);

    private static final long MIN_CALL_INTERVAL_NANOS = Duration.ofMillis(200).toNanos();

    private static final int FAILURES_BEFORE_NEW_ITERATOR = 3;

    private final KinesisClient kinesis;

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

    public PollingFetcher(KinesisClient kinesis, StreamRef stream, String shardId, int maxRecords, Duration idleTime,
            RecordConverter converter, EngineMetrics metrics) {
        this.kinesis = kinesis;
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
    }

    /**
     * Waits as the pacing says, then reads once.
     * @return the records read (possibly none)
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    public FetchResult fetch() throws InterruptedException {
        int failures = 0;
        while (true) {
            pace();
            try {
                if (iterator == null) {
                    iterator = newIterator();
                }
                lastCallStartNanos = System.nanoTime();
                String current = iterator;
                GetRecordsResponse response = kinesis.getRecords(request -> request.shardIterator(current).limit(maxRecords));
                metrics.getRecordsCall(stream, shardId);
                return accept(response);
            }
            catch (ExpiredIteratorException ex) {
                metrics.expiredIterator(stream, shardId);
                logger.info("Iterator of {} expired; continuing after {}", shardId, lastSequenceRead);
                iterator = null;
            }
            catch (ProvisionedThroughputExceededException | KmsThrottlingException | LimitExceededException ex) {
                metrics.throttled(stream, shardId);
                failures = backOff(failures, ex);
            }
            catch (SdkServiceException ex) {
                if (ex.statusCode() < 500 && !ex.isThrottlingException()) {
                    throw ex;
                }
                failures = backOff(failures, ex);
            }
            catch (SdkClientException ex) {
                failures = backOff(failures, ex);
            }
        }
    }

    private int backOff(int failures, Exception ex) throws InterruptedException {
        Duration delay = backoff.delay(failures);
        logger.warn("GetRecords on {} failed ({}); retrying in {} ms", shardId, ex.toString(), delay.toMillis());
        Thread.sleep(delay.toMillis());
        if (failures + 1 >= FAILURES_BEFORE_NEW_ITERATOR) {
            // Some services (and emulators) answer a bad iterator with a 5xx: start from a fresh one.
            iterator = null;
        }
        return failures + 1;
    }

    private void pace() throws InterruptedException {
        if (lastCallStartNanos == 0) {
            return;
        }
        long wait = (catchingUp ? MIN_CALL_INTERVAL_NANOS : Math.max(idleNanos, MIN_CALL_INTERVAL_NANOS))
                - (System.nanoTime() - lastCallStartNanos);
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
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
        boolean shardEnd = iterator == null;
        return new FetchResult(records, behind, shardEnd, response.hasChildShards() ? response.childShards() : List.of(),
                full);
    }

    private String newIterator() {
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
        return kinesis.getShardIterator(request.build()).shardIterator();
    }
}
