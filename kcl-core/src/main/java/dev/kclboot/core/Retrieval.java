package dev.kclboot.core;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/**
 * How a {@link Worker} reads its shards: {@link #polling()} with GetRecords (the default), or {@link #fanOut enhanced
 * fan-out}, where Kinesis pushes records over a SubscribeToShard HTTP/2 stream to a registered stream consumer with
 * its own 2 MB/s per shard. Everything else (leases, checkpoints, KPL de-aggregation, resharding, pausing, metrics)
 * works the same either way.
 */
public sealed interface Retrieval permits Retrieval.Polling, Retrieval.FanOut {

    /** Polling GetRecords, paced by {@code idleTimeBetweenReads} and limited by {@code maxRecords}. */
    static Polling polling() {
        return Polling.INSTANCE;
    }

    /**
     * Enhanced fan-out through the given client, which must have an HTTP/2 capable async HTTP client (the SDK's
     * {@code netty-nio-client}, with {@code maxConcurrency} above the number of shards a worker may hold). The stream
     * consumer is named after the application and registered when missing; the worker does not close the client.
     */
    static FanOut fanOut(KinesisAsyncClient client) {
        return new FanOut(client, null, null, false, FanOut.DEFAULT_SHARD_END_PROBE_INTERVAL);
    }

    /** Polling GetRecords. */
    final class Polling implements Retrieval {

        private static final Polling INSTANCE = new Polling();

        private Polling() {
        }

        @Override
        public String toString() {
            return "polling";
        }
    }

    /**
     * Enhanced fan-out settings; immutable, each {@code with...} returns a copy.
     * @param client the async client SubscribeToShard and the consumer registration use
     * @param consumerName the stream consumer's name, or null for the application name
     * @param consumerArn an existing consumer to use instead of registering one (single-stream workers only), or null
     * @param deregisterOnShutdown whether a graceful shutdown deregisters the consumer (off by default: the other
     * instances of the application share it)
     * @param shardEndProbeInterval how often a shard whose subscription has been idle at the tip is checked with
     * GetRecords for having ended, for services that close shards without sending ChildShards (kinesis-mock, which
     * LocalStack and kinesis-local run); zero turns the check off
     */
    record FanOut(KinesisAsyncClient client, @Nullable String consumerName, @Nullable String consumerArn,
            boolean deregisterOnShutdown, Duration shardEndProbeInterval) implements Retrieval {

        /** The default of {@link #shardEndProbeInterval()}: two calls per idle shard per 30 s. */
        public static final Duration DEFAULT_SHARD_END_PROBE_INTERVAL = Duration.ofSeconds(30);

        public FanOut {
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(shardEndProbeInterval, "shardEndProbeInterval");
            if (shardEndProbeInterval.isNegative()) {
                throw new IllegalArgumentException("shardEndProbeInterval must not be negative, was "
                        + shardEndProbeInterval);
            }
        }

        /** Names the stream consumer (default: the application name). */
        public FanOut withConsumerName(@Nullable String name) {
            return new FanOut(client, name, consumerArn, deregisterOnShutdown, shardEndProbeInterval);
        }

        /** Uses this registered consumer instead of registering one by name (its stream must be the worker's). */
        public FanOut withConsumerArn(@Nullable String arn) {
            return new FanOut(client, consumerName, arn, deregisterOnShutdown, shardEndProbeInterval);
        }

        /** Deregisters the consumer at a graceful shutdown (default false). */
        public FanOut withDeregisterOnShutdown(boolean deregister) {
            return new FanOut(client, consumerName, consumerArn, deregister, shardEndProbeInterval);
        }

        /** See {@link #shardEndProbeInterval()}. */
        public FanOut withShardEndProbeInterval(Duration interval) {
            return new FanOut(client, consumerName, consumerArn, deregisterOnShutdown, interval);
        }

        @Override
        public String toString() {
            return "fan-out(" + (consumerArn != null ? consumerArn : consumerName == null ? "<application name>"
                    : consumerName) + ")";
        }
    }
}
