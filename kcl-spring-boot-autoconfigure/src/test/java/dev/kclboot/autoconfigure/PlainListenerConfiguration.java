package dev.kclboot.autoconfigure;

import dev.kclboot.spring.annotation.KinesisListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A user configuration with one record listener that sets no attribute but its id ({@value #ID}), so that it takes
 * every default from the {@code kcl.*} properties: for context-runner tests of those defaults.
 */
@Configuration(proxyBeanMethods = false)
class PlainListenerConfiguration {

    static final String ID = "plain";

    @Bean
    PlainListener plainListener() {
        return new PlainListener();
    }

    static class PlainListener {

        @KinesisListener(id = ID)
        void onRecord(String payload) {
        }
    }
}
