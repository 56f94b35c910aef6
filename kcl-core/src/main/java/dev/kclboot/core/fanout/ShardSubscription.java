package dev.kclboot.core.fanout;

import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardEvent;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardEventStream;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardRequest;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardResponse;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardResponseHandler;

/**
 * One SubscribeToShard call: asks the event stream for one event at a time ({@link #requestOne()}), tells its
 * {@link Listener} about each event and, once, about the end (completed by the service, or failed).
 * <p>
 * The SDK reports an end several ways (the handler's {@code exceptionOccurred} and {@code complete}, the publisher's
 * {@code onError} and {@code onComplete}, the call's future, sometimes more than one of them, from different
 * threads); only the first counts. After {@link #cancel()} nothing is reported.
 */
final class ShardSubscription implements SubscribeToShardResponseHandler, Subscriber<SubscribeToShardEventStream> {

    /** Told what happens to one subscription, on SDK threads. */
    interface Listener {

        void eventReceived(ShardSubscription subscription, SubscribeToShardEvent event);

        /**
         * The subscription ended.
         * @param failure null when the service completed it (it does so every 5 minutes)
         */
        void ended(ShardSubscription subscription, @Nullable Throwable failure);
    }

    private final Listener listener;

    private final long number;

    // Guarded by this.

    private @Nullable Subscription subscription;

    private @Nullable CompletableFuture<Void> call;

    private boolean demanded;

    private boolean cancelled;

    private boolean terminated;

    private int events;

    ShardSubscription(Listener listener, long number) {
        this.listener = listener;
        this.number = number;
    }

    /** Which subscription of its reader this is (1 for the first), for logs. */
    long number() {
        return number;
    }

    /** How many events it delivered. */
    synchronized int events() {
        return events;
    }

    /** Calls SubscribeToShard; the events are asked for with {@link #requestOne()}. */
    void start(KinesisAsyncClient kinesis, SubscribeToShardRequest request) {
        CompletableFuture<Void> started;
        try {
            started = kinesis.subscribeToShard(request, this);
        }
        catch (RuntimeException ex) {
            end(ex);
            return;
        }
        boolean cancelNow;
        synchronized (this) {
            call = started;
            cancelNow = cancelled;
        }
        if (cancelNow) {
            started.cancel(false);
        }
        started.whenComplete((ignored, failure) -> {
            if (failure != null) {
                end(failure);
            }
        });
    }

    /** Asks for the next event (at most one is asked for at a time). */
    void requestOne() {
        Subscription current;
        synchronized (this) {
            if (cancelled || terminated || demanded) {
                return;
            }
            demanded = true;
            current = subscription;
        }
        if (current != null) {
            current.request(1);
        }
    }

    /**
     * Stops the subscription. The stream itself is cancelled, not only the call's future: a service (or emulator)
     * keeps a subscription whose HTTP/2 stream stays open, and answers the next one for this consumer and shard with
     * ResourceInUseException.
     */
    void cancel() {
        Subscription current;
        CompletableFuture<Void> started;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            current = subscription;
            started = call;
        }
        if (current != null) {
            current.cancel();
        }
        if (started != null) {
            started.cancel(false);
        }
    }

    @Override
    public void responseReceived(SubscribeToShardResponse response) {
        // The events follow through onEventStream.
    }

    @Override
    public void onEventStream(SdkPublisher<SubscribeToShardEventStream> publisher) {
        publisher.subscribe(this);
    }

    @Override
    public void exceptionOccurred(Throwable failure) {
        end(failure);
    }

    @Override
    public void complete() {
        end(null);
    }

    @Override
    public void onSubscribe(Subscription given) {
        boolean cancel;
        boolean request;
        synchronized (this) {
            cancel = cancelled || subscription != null;
            if (!cancel) {
                subscription = given;
            }
            request = !cancel && demanded;
        }
        if (cancel) {
            given.cancel();
        }
        else if (request) {
            given.request(1);
        }
    }

    @Override
    public void onNext(SubscribeToShardEventStream item) {
        synchronized (this) {
            if (cancelled || terminated) {
                return;
            }
            demanded = false;
            if (item instanceof SubscribeToShardEvent) {
                events++;
            }
        }
        if (item instanceof SubscribeToShardEvent event) {
            listener.eventReceived(this, event);
        }
        else {
            // An event type this SDK does not know: skip it, but keep the one-event demand going.
            requestOne();
        }
    }

    @Override
    public void onError(Throwable failure) {
        end(failure);
    }

    @Override
    public void onComplete() {
        end(null);
    }

    private void end(@Nullable Throwable failure) {
        synchronized (this) {
            if (cancelled || terminated) {
                return;
            }
            terminated = true;
        }
        listener.ended(this, failure);
    }

    @Override
    public String toString() {
        return "subscription " + number;
    }
}
