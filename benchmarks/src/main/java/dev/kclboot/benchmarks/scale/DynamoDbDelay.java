package dev.kclboot.benchmarks.scale;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import org.reactivestreams.Publisher;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpResponseHandler;

/**
 * An SDK {@link ExecutionInterceptor} (for a blocking client; {@link #asyncHttpClient} for an async one) that makes
 * DynamoDB slow: every attempt waits half the latency before it is
 * sent and half after the answer arrived (a round trip whose write lands in the middle), and {@link #stall(Duration)}
 * holds every attempt that is about to be sent until the stall ends (DynamoDB unreachable for a while: nothing lands
 * meanwhile). The waits happen inside the SDK's attempt, so the caller's attempt and call timeouts cut them short as
 * they would a slow network: the SDK interrupts the thread, which ends the wait with an {@link AbortedException} that
 * the SDK reports as its timeout.
 */
final class DynamoDbDelay implements ExecutionInterceptor {

    /** Runs the waits of async clients ({@link #asyncHttpClient}): one harness thread, never the event loop. */
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "scale-dynamodb-delay");
        thread.setDaemon(true);
        return thread;
    });

    private final long halfLatencyNanos;

    private final AtomicLong stallUntilNanos = new AtomicLong(System.nanoTime());

    private final LongAdder stalled = new LongAdder();

    private final LongAdder cutShort = new LongAdder();

    DynamoDbDelay(Duration latency) {
        this.halfLatencyNanos = latency.toNanos() / 2;
    }

    /** From now on and for {@code length}, no attempt is sent. */
    void stall(Duration length) {
        stallUntilNanos.set(System.nanoTime() + length.toNanos());
    }

    /** Attempts that were held by a stall. */
    long stalled() {
        return stalled.sum();
    }

    /** Waits that the SDK cut short (its attempt or call timeout). */
    long cutShort() {
        return cutShort.sum();
    }

    /**
     * The same delay for an async client, without blocking any thread (sleeping in an interceptor would stall the
     * client's event loop): the request goes to {@code delegate} half the latency later (and after a stall), the
     * answer reaches the SDK half the latency after it arrived. An attempt the SDK gives up on (its timeouts) before
     * it was sent is not sent; one given up on in flight is cancelled.
     */
    SdkAsyncHttpClient asyncHttpClient(SdkAsyncHttpClient delegate) {
        return new SdkAsyncHttpClient() {

            @Override
            public CompletableFuture<Void> execute(AsyncExecuteRequest request) {
                CompletableFuture<Void> attempt = new CompletableFuture<>();
                long stallLeft = stallUntilNanos.get() - System.nanoTime();
                if (stallLeft > 0) {
                    stalled.increment();
                }
                scheduler.schedule(() -> send(delegate, request, attempt), Math.max(0, stallLeft) + halfLatencyNanos,
                        TimeUnit.NANOSECONDS);
                return attempt;
            }

            @Override
            public void close() {
                delegate.close();
            }
        };
    }

    private void send(SdkAsyncHttpClient delegate, AsyncExecuteRequest request, CompletableFuture<Void> attempt) {
        long more = stallUntilNanos.get() - System.nanoTime();
        if (more > 0) {
            // A stall that was extended meanwhile holds the attempt on.
            scheduler.schedule(() -> send(delegate, request, attempt), more, TimeUnit.NANOSECONDS);
            return;
        }
        if (attempt.isDone()) {
            cutShort.increment();
            return;
        }
        SdkAsyncHttpResponseHandler handler = request.responseHandler();
        SdkAsyncHttpResponseHandler delayed = new SdkAsyncHttpResponseHandler() {

            @Override
            public void onHeaders(SdkHttpResponse headers) {
                later(() -> handler.onHeaders(headers));
            }

            @Override
            public void onStream(Publisher<ByteBuffer> stream) {
                later(() -> handler.onStream(stream));
            }

            @Override
            public void onError(Throwable error) {
                later(() -> handler.onError(error));
            }
        };
        AsyncExecuteRequest.Builder copy = AsyncExecuteRequest.builder().request(request.request())
                .requestContentPublisher(request.requestContentPublisher()).responseHandler(delayed)
                .fullDuplex(request.fullDuplex()).httpExecutionAttributes(request.httpExecutionAttributes());
        request.metricCollector().ifPresent(copy::metricCollector);
        CompletableFuture<Void> sent = delegate.execute(copy.build());
        attempt.whenComplete((ignored, failure) -> {
            if (failure != null && !sent.isDone()) {
                cutShort.increment();
                sent.cancel(true);
            }
        });
        sent.whenComplete((ignored, failure) -> later(() -> {
            if (failure != null) {
                attempt.completeExceptionally(failure);
            }
            else {
                attempt.complete(null);
            }
        }));
    }

    /** Half the latency later, in order (one scheduler thread; equal delays run in submission order). */
    private void later(Runnable step) {
        scheduler.schedule(step, halfLatencyNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        long stallLeft = stallUntilNanos.get() - System.nanoTime();
        if (stallLeft > 0) {
            stalled.increment();
            pause(stallLeft);
            // A stall that was extended meanwhile holds the attempt on.
            for (long more = stallUntilNanos.get() - System.nanoTime(); more > 0;
                    more = stallUntilNanos.get() - System.nanoTime()) {
                pause(more);
            }
        }
        pause(halfLatencyNanos);
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        pause(halfLatencyNanos);
    }

    private void pause(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        }
        catch (InterruptedException ex) {
            cutShort.increment();
            Thread.currentThread().interrupt();
            throw AbortedException.builder().message("DynamoDB delay interrupted (SDK timeout)").cause(ex).build();
        }
    }
}
