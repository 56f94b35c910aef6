package dev.kclboot.benchmarks.latency;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.kclboot.core.fanout.ConsumerRegistrar;
import dev.kclboot.core.stream.StreamRef;
import dev.kclboot.test.LocalKinesis;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardEvent;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardEventStream;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardResponseHandler;

/**
 * The limit of enhanced fan-out on this service: the SDK alone, one SubscribeToShard per shard from TRIM_HORIZON
 * through its own stream consumer, each event's records handed over on the event loop, the next event asked for at
 * once. No leases, no checkpoints, no resubscription (a phase is shorter than a subscription's 5 minutes).
 */
final class BareSubscribeLoop implements LatencyContender {

    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

    private @Nullable KinesisAsyncClient kinesis;

    @Override
    public String name() {
        return "bare SubscribeToShard loop";
    }

    @Override
    public void start(LocalKinesis local, String stream, int shards, LatencyRecorder recorder) throws Exception {
        KinesisAsyncClient client = local.configure(KinesisAsyncClient.builder(), local.kinesisEndpoint())
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP2)).build();
        kinesis = client;
        String consumerArn = new ConsumerRegistrar(client, Duration.ofSeconds(30))
                .register(StreamRef.of(stream, false), LocalKinesis.uniqueName("bare"));
        List<Shard> list = local.kinesisClient().listShards(request -> request.streamName(stream)).shards();
        CountDownLatch subscribed = new CountDownLatch(list.size());
        for (Shard shard : list) {
            client.subscribeToShard(request -> request.consumerARN(consumerArn).shardId(shard.shardId())
                    .startingPosition(position -> position.type(ShardIteratorType.TRIM_HORIZON)),
                    SubscribeToShardResponseHandler.builder().subscriber(() -> new Subscriber<SubscribeToShardEventStream>() {
                        private @Nullable Subscription subscription;

                        @Override
                        public void onSubscribe(Subscription given) {
                            subscription = given;
                            subscriptions.add(given);
                            subscribed.countDown();
                            given.request(1);
                        }

                        @Override
                        public void onNext(SubscribeToShardEventStream item) {
                            if (item instanceof SubscribeToShardEvent event) {
                                for (Record record : event.records()) {
                                    recorder.received(record.data().asByteBuffer());
                                }
                            }
                            if (subscription != null) {
                                subscription.request(1);
                            }
                        }

                        @Override
                        public void onError(Throwable failure) {
                            System.err.println("Bare subscription of " + shard.shardId() + " failed: " + failure);
                        }

                        @Override
                        public void onComplete() {
                        }
                    }).build());
        }
        if (!subscribed.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("The bare subscriptions did not start within 60 s");
        }
    }

    @Override
    public void close() {
        subscriptions.forEach(Subscription::cancel);
        KinesisAsyncClient client = kinesis;
        if (client != null) {
            client.close();
        }
    }
}
