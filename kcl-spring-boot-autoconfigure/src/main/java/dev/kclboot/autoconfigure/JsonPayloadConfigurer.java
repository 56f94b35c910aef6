package dev.kclboot.autoconfigure;

import java.util.List;

import dev.kclboot.spring.annotation.KinesisListenerConfigurer;
import org.springframework.core.Ordered;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.converter.MessageConverter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Adds the JSON converter, backed by the application's Jackson {@link JsonMapper}, after the raw ones; ordered
 * first, so that the application's configurers see it and may replace it.
 */
final class JsonPayloadConfigurer implements KinesisListenerConfigurer, Ordered {

    private final JsonMapper jsonMapper;

    JsonPayloadConfigurer(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    @Override
    public void configureMessageConverters(List<MessageConverter> converters) {
        converters.add(new JacksonJsonMessageConverter(jsonMapper));
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
