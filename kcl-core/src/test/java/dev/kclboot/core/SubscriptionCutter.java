package dev.kclboot.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardRequest;

/**
 * Ends SubscribeToShard streams early, on the wire: the first subscription to carry a few event-stream messages is
 * completed as if the service ended it (it does so every 5 minutes), the second fails as a reset connection would;
 * later ones are left alone (as are short ones, such as those answered with ResourceInUseException). Cuts only between messages (each starts with its total length), so
 * the SDK sees whole events and then the end, and the emulator sees the stream cancelled.
 */
final class SubscriptionCutter implements ExecutionInterceptor {

    private final int messagesBeforeCut;

    private final AtomicInteger subscriptions = new AtomicInteger();

    private final AtomicInteger cuts = new AtomicInteger();

    final AtomicInteger completed = new AtomicInteger();

    final AtomicInteger failed = new AtomicInteger();

    SubscriptionCutter(int messagesBeforeCut) {
        this.messagesBeforeCut = messagesBeforeCut;
    }

    int subscriptions() {
        return subscriptions.get();
    }

    @Override
    public Optional<Publisher<ByteBuffer>> modifyAsyncHttpResponseContent(Context.ModifyHttpResponse context,
            ExecutionAttributes attributes) {
        Optional<Publisher<ByteBuffer>> publisher = context.responsePublisher();
        if (!(context.request() instanceof SubscribeToShardRequest) || publisher.isEmpty()) {
            return publisher;
        }
        subscriptions.incrementAndGet();
        Publisher<ByteBuffer> upstream = publisher.get();
        return Optional.of(downstream -> upstream.subscribe(new Cutting(downstream)));
    }

    private final class Cutting implements Subscriber<ByteBuffer> {

        private final Subscriber<? super ByteBuffer> downstream;

        private Subscription upstream;

        private int messages;

        /** Bytes of the message being read that have not arrived yet (0 at a boundary). */
        private long remaining;

        /** The first bytes of a message's length prefix, when a chunk splits it. */
        private final ByteBuffer prefix = ByteBuffer.allocate(4);

        private boolean cut;

        Cutting(Subscriber<? super ByteBuffer> downstream) {
            this.downstream = downstream;
        }

        @Override
        public void onSubscribe(Subscription subscription) {
            upstream = subscription;
            downstream.onSubscribe(new Subscription() {
                @Override
                public void request(long n) {
                    if (!cut) {
                        upstream.request(n);
                    }
                }

                @Override
                public void cancel() {
                    upstream.cancel();
                }
            });
        }

        @Override
        public void onNext(ByteBuffer chunk) {
            if (cut) {
                return;
            }
            count(chunk.duplicate());
            downstream.onNext(chunk);
            if (remaining == 0 && prefix.position() == 0 && messages == messagesBeforeCut) {
                int cut = cuts.incrementAndGet();
                if (cut > 2) {
                    return;
                }
                this.cut = true;
                upstream.cancel();
                if (cut == 2) {
                    failed.incrementAndGet();
                    downstream.onError(new IOException("Connection reset (injected by the test)"));
                }
                else {
                    completed.incrementAndGet();
                    downstream.onComplete();
                }
            }
        }

        private void count(ByteBuffer chunk) {
            while (chunk.hasRemaining()) {
                if (remaining == 0) {
                    while (prefix.hasRemaining() && chunk.hasRemaining()) {
                        prefix.put(chunk.get());
                    }
                    if (prefix.hasRemaining()) {
                        return;
                    }
                    remaining = Integer.toUnsignedLong(prefix.getInt(0)) - 4;
                    prefix.clear();
                }
                int take = (int) Math.min(remaining, chunk.remaining());
                chunk.position(chunk.position() + take);
                remaining -= take;
                if (remaining == 0) {
                    messages++;
                }
            }
        }

        @Override
        public void onError(Throwable failure) {
            if (!cut) {
                downstream.onError(failure);
            }
        }

        @Override
        public void onComplete() {
            if (!cut) {
                downstream.onComplete();
            }
        }
    }
}
