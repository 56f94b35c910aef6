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
    void pointsTheKclPropertiesAtTheEmulators() {
        assertThat(environment.getProperty("kcl.endpoint.kinesis")).isEqualTo(local.kinesisEndpoint().toString());
        assertThat(environment.getProperty("kcl.endpoint.dynamodb")).isEqualTo(local.dynamoDbEndpoint().toString());
        assertThat(environment.getProperty("kcl.region")).isEqualTo("us-east-1");
        assertThat(environment.getProperty("kcl.credentials.access-key")).isEqualTo(LocalKinesis.ACCESS_KEY_ID);
        assertThat(local.kinesisClient().describeStreamSummary(request -> request.streamName("embedded-spring-stream"))
                .streamDescriptionSummary().openShardCount()).isEqualTo(1);
    }

    @Configuration(proxyBeanMethods = false)
    static class Config {
    }
}
