package dev.kclboot.core;

import dev.kclboot.test.LocalKinesis;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/**
 * Async Kinesis clients for fan-out tests: Netty over HTTP/2 with prior knowledge on the emulator's plain port, as
 * SubscribeToShard needs. Each test closes its own client, which also ends its subscriptions on the emulator.
 */
final class FanOutClients {

    private FanOutClients() {
    }

    static KinesisAsyncClient http2(LocalKinesis local) {
        return local.configure(KinesisAsyncClient.builder(), local.kinesisEndpoint())
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP2).maxConcurrency(256))
                .build();
    }
}
