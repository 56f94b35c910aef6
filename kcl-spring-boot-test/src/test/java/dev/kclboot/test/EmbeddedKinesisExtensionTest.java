package dev.kclboot.test;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@EmbeddedKinesis(streams = "embedded-extension-stream", shards = 2)
class EmbeddedKinesisExtensionTest {

    @Test
    void injectsTheSharedInstanceWithTheDeclaredStream(LocalKinesis local) {
        assertThat(local).isSameAs(LocalKinesis.shared());
        assertThat(local.isRunning()).isTrue();
        assertThat(local.kinesisClient().listShards(request -> request.streamName("embedded-extension-stream")).shards())
                .hasSize(2);
    }
}
