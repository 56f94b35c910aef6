package dev.kclboot.it;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * An application whose listener names a stream that does not exist fails to start, and the startup report names
 * the stream and the region.
 */
@ExtendWith(OutputCaptureExtension.class)
class StreamNotFoundIT {

    @Test
    void theReportNamesTheStreamAndTheRegion(CapturedOutput output) {
        String missing = LocalKinesis.uniqueName("no-such-stream");
        Map<String, Object> properties = new LinkedHashMap<>(LocalKinesis.shared().springProperties());
        properties.put("kcl.stream", missing);
        properties.put("kcl.application-name", LocalKinesis.uniqueName("app"));
        assertThatException().isThrownBy(() -> new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE).properties(properties).run());
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("The Kinesis stream '" + missing + "' does not exist in region us-east-1")
                .contains("Create the stream '" + missing + "' in region us-east-1");
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Object listener() {
            return new Object() {

                @KinesisListener
                void onRecord(String payload) {
                }
            };
        }
    }
}
