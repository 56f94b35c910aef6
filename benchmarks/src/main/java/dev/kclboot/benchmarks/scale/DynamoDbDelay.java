package dev.kclboot.benchmarks.scale;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * An SDK {@link ExecutionInterceptor} that makes DynamoDB slow: every attempt waits half the latency before it is
 * sent and half after the answer arrived (a round trip whose write lands in the middle), and {@link #stall(Duration)}
 * holds every attempt that is about to be sent until the stall ends (DynamoDB unreachable for a while: nothing lands
 * meanwhile). The waits happen inside the SDK's attempt, so the caller's attempt and call timeouts cut them short as
 * they would a slow network: the SDK interrupts the thread, which ends the wait with an {@link AbortedException} that
 * the SDK reports as its timeout.
 */
final class DynamoDbDelay implements ExecutionInterceptor {

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
