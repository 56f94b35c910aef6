package dev.kclboot.sample;

import dev.kclboot.spring.config.KinesisListenerEndpointRegistry;
import dev.kclboot.test.LocalKinesis;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sample's beans: the progress line, and in local mode the emulators (closed after the listeners have stopped
 * and released their leases) and the producer.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class SampleConfiguration {

    @Bean
    ProgressReporter progressReporter(WordCounter counter, KinesisListenerEndpointRegistry registry) {
        return new ProgressReporter(counter, registry);
    }

    /** Bean destruction comes after the lifecycle stop, so the consumers release their leases before this closes. */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty("sample.local.active")
    LocalKinesis localKinesis() {
        LocalKinesis local = LocalMode.current();
        if (local == null) {
            throw new IllegalStateException("Local mode is active but no emulator was started");
        }
        return local;
    }

    @Bean
    @ConditionalOnProperty(name = { "sample.local.active", "sample.producer.enabled" }, matchIfMissing = false)
    WordsProducer wordsProducer(KinesisClient kinesis, JsonMapper jsonMapper, @Value("${sample.stream}") String stream,
            @Value("${sample.producer.rate}") int rate) {
        return new WordsProducer(kinesis, jsonMapper, stream, rate);
    }
}
