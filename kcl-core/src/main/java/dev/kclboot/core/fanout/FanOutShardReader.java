package dev.kclboot.core.fanout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.kclboot.core.aws.AwsFailures;
import dev.kclboot.core.aws.FailureKind;
import dev.kclboot.core.backoff.ExponentialBackoff;
import dev.kclboot.core.fetch.FetchOutcome;
import dev.kclboot.core.fetch.FetchResult;
import dev.kclboot.core.fetch.RecordConverter;
import dev.kclboot.core.fetch.ShardReader;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.core.stream.StreamRef;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.kinesis.model.ChildShard;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.StartingPosition;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardEvent;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardRequest;

/**
 * Reads one shard with enhanced fan-out: each {@link #request} is answered with the next SubscribeToShard event, asked
 * of the service only then (one event at a time), so a slow processor holds at most the batch it processes and the
 * one read ahead, and the service waits, however far behind the shard is.
 * <p>
 * A subscription the service ends (every 5 minutes) is followed by the next one, starting right after the
 * continuation sequence number of the last event delivered: no record is skipped or delivered twice. A failed
 * subscription is answered with {@link FetchOutcome.RetryLater} (with backoff) and followed the same way when the
 * consumer asks again; {@code ResourceInUseException} (the previous subscription for this consumer and shard, maybe
 * another worker's, is not over yet) is retried likewise. ResourceNotFound is {@link FetchOutcome.NotFound}, so an
 * expired shard or a deleted stream ends as with polling; an access or validation error is {@link FetchOutcome.Failed}.
 * <p>
 * The shard ends with the event whose continuation sequence number is null: its ChildShards go to the consumer as a
 * {@link FetchResult} with {@code shardEnd}, exactly like the last GetRecords of a closed shard. For services that
 * never send that event, a subscription idle at the tip is checked every {@code shardEndProbeInterval} with
 * {@link ShardEndProbe}.
 * <p>
 * Events are converted (KPL de-aggregation) on the worker's fetching executor, never on the HTTP client's event loop.
 * A subscription not asked for an event for a while (the processor is slow or the stream paused) is cancelled and
 * resumed from the continuation when asked, so that the HTTP client's read timeout does not close the connection the
 * other shards' subscriptions share.
 */
public final class FanOutShardReader implements ShardReader, ShardSubscription.Listener {

    private static final Logger logger = LoggerFactory.getLogger(FanOutShardReader.class);

    private static final String ACTION = "kinesis:SubscribeToShard";

    /**
     * How long a subscription may go without being asked for an event (a slow or paused processor, a full read-ahead
     * budget) before it is cancelled, to be resumed from the continuation when asked. Left alone, the HTTP client's
     * read timeout would end it and close the HTTP/2 connection every subscription of the client shares.
     */
    private static final Duration UNASKED_LIMIT = Duration.ofSeconds(5);

    private final FanOutContext context;

    private final StreamRef stream;

    private final String shardId;

    private final String consumerArn;

    private final RecordConverter converter;

    private final ShardEndProbe probe;

    private final long probeIntervalNanos;

    private final ExponentialBackoff backoff = new ExponentialBackoff(Duration.ofMillis(200), Duration.ofSeconds(10));

    // Guarded by this.

    private StartingPosition position;

    private @Nullable ShardSubscription current;

    private @Nullable Consumer<FetchOutcome> waiting;

    /** An outcome that came while nothing was asked for (a subscription that failed between two requests). */
    private @Nullable FetchOutcome held;

    private long subscriptions;

    private int failures;

    private boolean closed;

    private boolean ended;

    /** When the next shard end probe is due while the subscription stays idle at the tip; 0 while it is not idle. */
    private long nextProbeNanos;

    public FanOutShardReader(FanOutContext context, StreamRef stream, String shardId, String consumerArn,
            ExtendedSequenceNumber checkpoint, RecordConverter converter) {
        this.context = context;
        this.stream = stream;
        this.shardId = shardId;
        this.consumerArn = consumerArn;
        this.converter = converter;
        this.probe = new ShardEndProbe(context.probeClient(), stream, shardId);
        this.probeIntervalNanos = context.shardEndProbeInterval().toNanos();
        this.position = StartingPositions.initial(checkpoint, context.initialPosition());
    }

    @Override
    public void request(@Nullable Duration delay, Consumer<FetchOutcome> callback) {
        synchronized (this) {
            if (closed) {
                return;
            }
            waiting = callback;
        }
        if (delay == null || delay.isZero() || delay.isNegative()) {
            demand();
            return;
        }
        try {
            context.timer().schedule(this::demand, delay.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (RejectedExecutionException ex) {
            // The worker is stopping.
        }
    }

    /** Answers the waiting request with a held outcome, or asks the subscription (a new one if needed) for an event. */
    private void demand() {
        Consumer<FetchOutcome> answer = null;
        FetchOutcome outcome = null;
        ShardSubscription subscription;
        SubscribeToShardRequest start = null;
        synchronized (this) {
            if (closed || ended || waiting == null) {
                return;
            }
            if (held != null) {
                answer = waiting;
                outcome = held;
                waiting = null;
                held = null;
            }
            subscription = current;
            if (answer == null && subscription == null) {
                subscriptions++;
                subscription = new ShardSubscription(this, subscriptions);
                current = subscription;
                start = SubscribeToShardRequest.builder().consumerARN(consumerArn).shardId(shardId)
                        .startingPosition(position).build();
            }
        }
        if (answer != null) {
            answer.accept(outcome);
            return;
        }
        if (start != null) {
            if (subscription.number() > 1) {
                context.metrics().resubscribed(stream, shardId);
            }
            logger.debug("Subscribing to {} of {} ({}) at {}", shardId, stream, subscription, start.startingPosition());
            subscription.start(context.kinesis(), start);
        }
        subscription.requestOne();
    }

    @Override
    public void eventReceived(ShardSubscription subscription, SubscribeToShardEvent event) {
        Consumer<FetchOutcome> answer;
        boolean probeNow = false;
        String continuation = event.continuationSequenceNumber();
        synchronized (this) {
            if (subscription != current || closed) {
                return;
            }
            failures = 0;
            if (continuation != null) {
                position = StartingPositions.after(continuation);
            }
            else {
                ended = true;
                current = null;
            }
            answer = waiting;
            waiting = null;
            Long behind = event.millisBehindLatest();
            if (!event.records().isEmpty() || continuation == null) {
                nextProbeNanos = 0;
            }
            else if (probeIntervalNanos > 0 && (behind == null || behind == 0)) {
                long now = System.nanoTime();
                if (nextProbeNanos == 0) {
                    nextProbeNanos = now + probeIntervalNanos;
                }
                else if (now - nextProbeNanos >= 0) {
                    probeNow = true;
                    nextProbeNanos = now + probeIntervalNanos;
                }
            }
        }
        context.metrics().fanOutEvent(stream, shardId, bytes(event.records()));
        if (continuation == null) {
            subscription.cancel(); // The service ends it too; nothing more is read.
        }
        boolean probing = probeNow;
        int delivered = subscription.events();
        try {
            context.converting().execute(() -> deliver(answer,
                    probing ? probeOrConvert(subscription, event, continuation) : convert(event)));
            if (continuation != null) {
                context.timer().schedule(() -> cancelIfUnasked(subscription, delivered), UNASKED_LIMIT.toNanos(),
                        TimeUnit.NANOSECONDS);
            }
        }
        catch (RejectedExecutionException ex) {
            // The worker is stopping.
        }
    }

    /** Cancels a subscription nothing was asked of since it delivered its {@code delivered}-th event. */
    private void cancelIfUnasked(ShardSubscription subscription, int delivered) {
        synchronized (this) {
            if (closed || subscription != current || waiting != null || subscription.events() != delivered) {
                return;
            }
            current = null;
        }
        subscription.cancel();
        logger.debug("{} of {} of {} was not asked for an event for {} s: cancelled; the next read resubscribes from "
                + "the continuation", subscription, shardId, stream, UNASKED_LIMIT.toSeconds());
    }

    @Override
    public void ended(ShardSubscription subscription, @Nullable Throwable failure) {
        Consumer<FetchOutcome> answer = null;
        FetchOutcome outcome = null;
        boolean resubscribe = false;
        synchronized (this) {
            if (subscription != current) {
                return;
            }
            current = null;
            if (closed || ended) {
                return;
            }
            if (failure == null && subscription.events() > 0) {
                // The service ends every subscription after 5 minutes; the next one goes on from the continuation.
                logger.debug("{} of {} ended by the service after {} events; resubscribing", subscription, shardId,
                        subscription.events());
                resubscribe = waiting != null;
            }
            else {
                Throwable cause = (failure == null)
                        ? new IllegalStateException("SubscribeToShard ended before its first event") : unwrap(failure);
                outcome = classify(cause, waiting != null);
                if (waiting != null) {
                    answer = waiting;
                    waiting = null;
                }
                else {
                    held = outcome;
                }
            }
        }
        if (answer != null) {
            answer.accept(outcome);
        }
        if (resubscribe) {
            // Not on the HTTP client's event loop: starting a call may resolve credentials.
            try {
                context.converting().execute(this::demand);
            }
            catch (RejectedExecutionException ex) {
                // The worker is stopping.
            }
        }
    }

    /** Must hold the lock. */
    private FetchOutcome classify(Throwable cause, boolean active) {
        Exception exception = (cause instanceof Exception ex) ? ex : new RuntimeException(cause);
        if ("ResourceInUseException".equals(AwsFailures.errorCode(cause))) {
            Duration delay = backoff.delay(failures++);
            logger.info("SubscribeToShard of {} of {}: an earlier subscription of this consumer is not over yet; "
                    + "retrying in {} ms", shardId, stream, delay.toMillis());
            return new FetchOutcome.RetryLater(delay, exception);
        }
        // Timeouts, resets and closed connections are not service errors: retry them like 5xx.
        FailureKind kind = (cause instanceof SdkServiceException) ? AwsFailures.kindOf(cause) : FailureKind.TRANSIENT;
        switch (kind) {
            case NOT_FOUND -> {
                return new FetchOutcome.NotFound(ACTION, exception);
            }
            case THROTTLED, TRANSIENT -> {
                Duration delay = backoff.delay(failures++);
                if (active) {
                    logger.warn("SubscribeToShard of {} of {} failed ({}); subscribing again in {} ms", shardId, stream,
                            AwsFailures.describe(cause), delay.toMillis());
                }
                else {
                    // Nothing was asked for (a slow or paused processor): a read timeout is expected then.
                    logger.debug("SubscribeToShard of {} of {} ended while idle ({}); subscribing again when asked",
                            shardId, stream, AwsFailures.describe(cause));
                }
                return new FetchOutcome.RetryLater(delay, exception);
            }
            default -> {
                return new FetchOutcome.Failed(ACTION, exception);
            }
        }
    }

    private FetchOutcome probeOrConvert(ShardSubscription subscription, SubscribeToShardEvent event,
            String continuation) {
        ShardEndProbe.Result result = probe.check(continuation);
        if (result instanceof ShardEndProbe.NotFound notFound) {
            return new FetchOutcome.NotFound(notFound.action(), notFound.cause());
        }
        if (result instanceof ShardEndProbe.Ended end) {
            synchronized (this) {
                ended = true;
                if (current == subscription) {
                    current = null;
                }
            }
            subscription.cancel();
            logger.info("Shard {} of {} is closed and fully read (GetRecords says so; the subscription sent no "
                    + "ChildShards)", shardId, stream);
            return new FetchOutcome.Records(new FetchResult(List.of(), event.millisBehindLatest(), true,
                    end.childShards(), false));
        }
        return convert(event);
    }

    private FetchOutcome convert(SubscribeToShardEvent event) {
        try {
            List<KinesisRecord> records = new ArrayList<>(event.records().size());
            for (Record record : event.records()) {
                records.addAll(converter.convert(shardId, record));
            }
            boolean shardEnd = event.continuationSequenceNumber() == null;
            List<ChildShard> children = event.hasChildShards() ? event.childShards() : List.of();
            return new FetchOutcome.Records(new FetchResult(records, event.millisBehindLatest(), shardEnd, children,
                    false));
        }
        catch (RuntimeException ex) {
            return new FetchOutcome.Failed(ACTION, ex);
        }
    }

    private void deliver(@Nullable Consumer<FetchOutcome> answer, FetchOutcome outcome) {
        if (answer != null) {
            answer.accept(outcome);
            return;
        }
        synchronized (this) {
            // Not reached while events are asked for only on request; kept so an outcome is never lost.
            if (!closed && held == null) {
                held = outcome;
            }
        }
    }

    @Override
    public void close() {
        ShardSubscription subscription;
        synchronized (this) {
            closed = true;
            subscription = current;
            current = null;
            waiting = null;
            held = null;
        }
        if (subscription != null) {
            subscription.cancel();
        }
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static long bytes(List<Record> records) {
        long total = 0;
        for (Record record : records) {
            total += record.data().asByteArrayUnsafe().length;
        }
        return total;
    }
}
