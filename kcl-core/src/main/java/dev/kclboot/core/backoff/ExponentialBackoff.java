package dev.kclboot.core.backoff;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter": the n-th wait is uniformly random in [d/2, d] where d = min(max, initial *
 * 2^n). Half the delay is kept so that a retry never comes immediately; the other half spreads workers that failed
 * together (throttling hits them together).
 * @param initial the base of the first wait
 * @param max the cap of every wait
 */
public record ExponentialBackoff(Duration initial, Duration max) {

    /** The wait before retry number {@code attempt} (0 for the first retry). */
    public Duration delay(int attempt) {
        long base = initial.toMillis();
        long cap = max.toMillis();
        long exponential = attempt >= 30 ? cap : Math.min(cap, base << Math.max(0, attempt));
        long half = Math.max(1, exponential / 2);
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }
}
