package dev.kclboot.core.fanout;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

import dev.kclboot.core.metrics.EngineMetrics;
import dev.kclboot.core.stream.InitialPosition;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * What the fan-out readers of a worker share.
 * @param kinesis subscribes
 * @param probeClient asks GetRecords whether an idle shard ended (see {@link ShardEndProbe})
 * @param converting converts events into records (KPL de-aggregation) off the HTTP client's event loop, and runs probes
 * @param timer waits out backoffs
 * @param metrics the engine's meters
 * @param initialPosition where shards without a checkpoint start
 * @param shardEndProbeInterval how long a subscription stays idle at the tip between probes; zero for none
 */
public record FanOutContext(KinesisAsyncClient kinesis, KinesisClient probeClient, Executor converting,
        ScheduledExecutorService timer, EngineMetrics metrics, InitialPosition initialPosition,
        Duration shardEndProbeInterval) {
}
