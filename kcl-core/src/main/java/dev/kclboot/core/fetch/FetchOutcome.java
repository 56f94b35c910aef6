package dev.kclboot.core.fetch;

import java.time.Duration;

/**
 * What one read of a shard gave: records, a reason to wait and read again, the shard not being there, or a failure
 * that retrying will not cure.
 */
public sealed interface FetchOutcome {

    /** A GetRecords call answered (possibly with no records). */
    record Records(FetchResult result) implements FetchOutcome {
    }

    /** Throttled, 5xx or I/O: read again after the delay. */
    record RetryLater(Duration delay, Exception cause) implements FetchOutcome {
    }

    /**
     * Kinesis says the shard (or the stream) does not exist ({@code ResourceNotFoundException} on GetShardIterator or
     * GetRecords): the shard's records expired, or the stream was deleted. The consumer finds out which.
     */
    record NotFound(String action, Exception cause) implements FetchOutcome {
    }

    /**
     * A failure retrying the same call will not cure (access denied, invalid argument, KMS state...).
     * @param action the IAM action of the call that failed, e.g. {@code kinesis:GetRecords}
     */
    record Failed(String action, Exception cause) implements FetchOutcome {
    }
}
