package dev.kclboot.test.context;

import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import static org.assertj.core.api.Assertions.assertThat;

@SpringJUnitConfig(EmbeddedKinesisContextCustomizerTest.Config.class)
@EmbeddedKinesis(streams = "embedded-spring-stream")
class EmbeddedKinesisContextCustomizerTest {

    @Autowired
    Environment environment;

    @Autowired
    LocalKinesis local;

    @Test
    void registersTheEmulatorsAsABeanWithoutRewritingProperties() {
        assertThat(local).isSameAs(LocalKinesis.shared());
        assertThat(environment.getProperty("kcl.endpoint.kinesis")).isNull();
        assertThat(local.kinesisClient().describeStreamSummary(request -> request.streamName("embedded-spring-stream"))
                .streamDescriptionSummary().openShardCount()).isEqualTo(1);
    }

    @Configuration(proxyBeanMethods = false)
    static class Config {
    }
}
