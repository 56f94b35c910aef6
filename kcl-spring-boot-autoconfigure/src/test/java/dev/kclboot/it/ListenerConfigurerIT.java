package dev.kclboot.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.spring.annotation.KinesisListenerConfigurer;
import dev.kclboot.spring.support.KinesisHeaders;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.AbstractMessageConverter;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@link KinesisListenerConfigurer} bean registers an argument resolver (the tenant, from the partition key) and a
 * message converter (CSV lines into {@link Line}s): the listener receives every record put, in order, with both.
 */
@SpringBootTest(classes = ListenerConfigurerIT.App.class)
class ListenerConfigurerIT extends ListenerIntegrationTest {

    static final StreamFixture fixture = new StreamFixture(1);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("kcl.stream", () -> fixture.stream);
        registry.add("kcl.application-name", () -> fixture.application);
    }

    @Autowired
    Lines lines;

    @Test
    void theConfigurersResolverAndConverterAreUsed() {
        fixture.put("acme|1", "apple,3");
        fixture.put("globex|2", "pear,5");
        fixture.put("acme|3", "plum,7");
        await().atMost(Duration.ofSeconds(60)).until(() -> lines.received.size() >= 3);
        assertThat(lines.received).containsExactly("acme: apple x3", "globex: pear x5", "acme: plum x7");
    }

    /** A CSV line {@code name,count}. */
    record Line(String name, int count) {
    }

    /** The part of the partition key before {@code |}. */
    record Tenant(String name) {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Lines lines() {
            return new Lines();
        }

        @Bean
        KinesisListenerConfigurer csvAndTenants() {
            return new KinesisListenerConfigurer() {

                @Override
                public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
                    resolvers.add(new TenantResolver());
                }

                @Override
                public void configureMessageConverters(List<MessageConverter> converters) {
                    converters.add(0, new CsvLineConverter());
                }
            };
        }
    }

    static class Lines {

        final List<String> received = new CopyOnWriteArrayList<>();

        @KinesisListener
        void onLine(Tenant tenant, Line line) {
            received.add(tenant.name() + ": " + line.name() + " x" + line.count());
        }
    }

    static final class TenantResolver implements HandlerMethodArgumentResolver {

        @Override
        public boolean supportsParameter(MethodParameter parameter) {
            return parameter.getParameterType() == Tenant.class;
        }

        @Override
        public Object resolveArgument(MethodParameter parameter, Message<?> message) {
            String key = (String) message.getHeaders().get(KinesisHeaders.PARTITION_KEY);
            return new Tenant(key.substring(0, key.indexOf('|')));
        }
    }

    static final class CsvLineConverter extends AbstractMessageConverter {

        @Override
        protected boolean supports(Class<?> clazz) {
            return clazz == Line.class;
        }

        @Override
        protected Object convertFromInternal(Message<?> message, Class<?> targetClass,
                @Nullable Object conversionHint) {
            String[] parts = new String((byte[]) message.getPayload(), StandardCharsets.UTF_8).split(",");
            return new Line(parts[0], Integer.parseInt(parts[1]));
        }
    }
}
