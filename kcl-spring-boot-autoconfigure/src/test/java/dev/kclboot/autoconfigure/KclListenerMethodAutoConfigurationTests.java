package dev.kclboot.autoconfigure;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.annotation.KinesisListenerConfigurer;
import dev.kclboot.spring.listener.CheckpointMode;
import dev.kclboot.spring.listener.ExhaustedAction;
import dev.kclboot.spring.listener.KinesisListenerSettings;
import dev.kclboot.spring.listener.KinesisRecordListener;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
import dev.kclboot.spring.listener.NoCheckpoints;
import dev.kclboot.spring.listener.adapter.InvalidKinesisListenerMethodException;
import dev.kclboot.spring.listener.adapter.ListenerMethodAdapterFactory;
import dev.kclboot.spring.listener.recovery.LoggingRecordRecoverer;
import dev.kclboot.spring.listener.recovery.PayloadConversionException;
import dev.kclboot.spring.support.KinesisHeaders;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.AbstractMessageConverter;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * How listener methods are invoked, as the auto-configuration wires it: JSON with the application's Jackson, the
 * application's validator, and what {@link KinesisListenerConfigurer} beans add. Each test makes a listener from a
 * method with the context's {@link ListenerMethodAdapterFactory} and calls it with a record.
 */
class KclListenerMethodAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, KclAutoConfiguration.class))
            .withPropertyValues("kcl.region=eu-west-1", "kcl.auto-startup=false");

    private final Listeners listeners = new Listeners();

    @Test
    void jsonPayloadsAreReadWithTheApplicationsJsonMapper() {
        runner.run(context -> {
            call(context.getBean(ListenerMethodAdapterFactory.class), "order", "{\"id\":\"a\",\"amount\":2}");
            assertThat(listeners.calls).containsExactly("order a 2");
        });
    }

    @Test
    void withoutJacksonPayloadsAreRawOnly() {
        runner.withClassLoader(new FilteredClassLoader(JsonMapper.class)).run(context -> {
            ListenerMethodAdapterFactory adapters = context.getBean(ListenerMethodAdapterFactory.class);
            assertThatExceptionOfType(InvalidKinesisListenerMethodException.class)
                    .isThrownBy(() -> adapters.create(listeners, method("order"), settings()))
                    .withMessageContaining("add Jackson");
            call(adapters, "text", "{\"id\":\"a\"}");
            assertThat(listeners.calls).containsExactly("text {\"id\":\"a\"}");
        });
    }

    @Test
    void bootsValidatorValidatesValidPayloads() {
        runner.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class)).run(context -> {
            ListenerMethodAdapterFactory adapters = context.getBean(ListenerMethodAdapterFactory.class);
            call(adapters, "validOrder", "{\"id\":\"a\",\"amount\":2}");
            assertThatExceptionOfType(PayloadConversionException.class)
                    .isThrownBy(() -> call(adapters, "validOrder", "{\"id\":\"b\",\"amount\":-2}"))
                    .withMessageContaining("amount");
            assertThat(listeners.calls).containsExactly("valid a");
        });
    }

    @Test
    void bootsValidatorIsUsedWhenAnotherValidatorBeanSitsNextToIt() {
        runner.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
                .withUserConfiguration(SecondValidator.class).run(context -> {
                    ListenerMethodAdapterFactory adapters = context.getBean(ListenerMethodAdapterFactory.class);
                    assertThatExceptionOfType(PayloadConversionException.class)
                            .isThrownBy(() -> call(adapters, "validOrder", "{\"id\":\"b\",\"amount\":-2}"))
                            .withMessageContaining("amount");
                    assertThat(listeners.calls).isEmpty();
                });
    }

    @Test
    void withoutAValidatorValidIsIgnored() {
        runner.run(context -> {
            call(context.getBean(ListenerMethodAdapterFactory.class), "validOrder", "{\"id\":\"b\",\"amount\":-2}");
            assertThat(listeners.calls).containsExactly("valid b");
        });
    }

    @Test
    void configurersAddResolversConvertersAndAValidatorInTheirOrder() {
        runner.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
                .withUserConfiguration(Configurers.class).run(context -> {
                    ListenerMethodAdapterFactory adapters = context.getBean(ListenerMethodAdapterFactory.class);
                    call(adapters, "tenant", "{\"id\":\"a\",\"amount\":1}");
                    call(adapters, "text", "hello");
                    // The configurer's validator replaces Boot's: it rejects the id "x", which Boot's accepts.
                    call(adapters, "validOrder", "{\"id\":\"b\",\"amount\":-2}");
                    assertThatExceptionOfType(PayloadConversionException.class)
                            .isThrownBy(() -> call(adapters, "validOrder", "{\"id\":\"x\",\"amount\":1}"))
                            .withMessageContaining("no x");
                    assertThat(listeners.calls).containsExactly("tenant acme a", "text HELLO! (second)", "valid b");
                });
    }

    @Test
    void anAdapterFactoryOfTheApplicationWins() {
        ListenerMethodAdapterFactory own = new ListenerMethodAdapterFactory(
                new org.springframework.messaging.converter.StringMessageConverter(), null, List.of());
        runner.withBean(ListenerMethodAdapterFactory.class, () -> own).run(context -> assertThat(context)
                .getBean(ListenerMethodAdapterFactory.class).isSameAs(own));
    }

    private void call(ListenerMethodAdapterFactory adapters, String name, String payload) throws Exception {
        KinesisRecordListener listener = (KinesisRecordListener) adapters.create(listeners, method(name), settings());
        KinesisRecord record = KinesisRecord.builder().shardId("shardId-000000000000").sequenceNumber("1")
                .partitionKey("acme|1").data(payload.getBytes(StandardCharsets.UTF_8)).build();
        listener.onRecord(record, KinesisRecordMetadata.of("orders", record), NO_CHECKPOINTS);
    }

    private static KinesisListenerSettings settings() {
        return new KinesisListenerSettings("listener", "app", "orders", false, CheckpointMode.BATCH,
                Duration.ofSeconds(10), true, 1, new org.springframework.util.backoff.FixedBackOff(1, 1),
                ExhaustedAction.RECOVER, new LoggingRecordRecoverer());
    }

    private static Method method(String name) {
        return Arrays.stream(Listeners.class.getDeclaredMethods()).filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow();
    }

    record Order(String id, @Min(0) int amount) {
    }

    record Tenant(String name) {
    }

    static class Listeners {

        final List<String> calls = new ArrayList<>();

        void order(Order order) {
            calls.add("order " + order.id() + " " + order.amount());
        }

        void text(String text) {
            calls.add("text " + text);
        }

        void validOrder(@Payload @Valid Order order) {
            calls.add("valid " + order.id());
        }

        void tenant(Tenant tenant, Order order) {
            calls.add("tenant " + tenant.name() + " " + order.id());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SecondValidator {

        @Bean
        Validator permissiveValidator() {
            return new Validator() {

                @Override
                public boolean supports(Class<?> clazz) {
                    return true;
                }

                @Override
                public void validate(Object target, Errors errors) {
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Configurers {

        @Bean
        @org.springframework.core.annotation.Order(2)
        KinesisListenerConfigurer second() {
            return new KinesisListenerConfigurer() {

                @Override
                public void configureMessageConverters(List<MessageConverter> converters) {
                    // Sees the first configurer's converter in front, and puts its own before it.
                    converters.add(0, new SuffixingStringConverter(" (second)", converters.get(0)));
                }
            };
        }

        @Bean
        @org.springframework.core.annotation.Order(1)
        KinesisListenerConfigurer first() {
            return new KinesisListenerConfigurer() {

                @Override
                public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
                    resolvers.add(new HandlerMethodArgumentResolver() {

                        @Override
                        public boolean supportsParameter(MethodParameter parameter) {
                            return parameter.getParameterType() == Tenant.class;
                        }

                        @Override
                        public Object resolveArgument(MethodParameter parameter, Message<?> message) {
                            String key = (String) message.getHeaders().get(KinesisHeaders.PARTITION_KEY);
                            return new Tenant(key.substring(0, key.indexOf('|')));
                        }
                    });
                }

                @Override
                public void configureMessageConverters(List<MessageConverter> converters) {
                    converters.add(0, new ShoutingStringConverter());
                }

                @Override
                public Validator getValidator() {
                    return new Validator() {

                        @Override
                        public boolean supports(Class<?> clazz) {
                            return clazz == Order.class;
                        }

                        @Override
                        public void validate(Object target, Errors errors) {
                            if (((Order) target).id().equals("x")) {
                                errors.rejectValue("id", "x", "no x");
                            }
                        }
                    };
                }
            };
        }
    }

    static final class ShoutingStringConverter extends AbstractMessageConverter {

        @Override
        protected boolean supports(Class<?> clazz) {
            return clazz == String.class;
        }

        @Override
        protected Object convertFromInternal(Message<?> message, Class<?> targetClass,
                @Nullable Object conversionHint) {
            return new String((byte[]) message.getPayload(), StandardCharsets.UTF_8).toUpperCase() + "!";
        }
    }

    static final class SuffixingStringConverter extends AbstractMessageConverter {

        private final String suffix;

        private final MessageConverter delegate;

        SuffixingStringConverter(String suffix, MessageConverter delegate) {
            this.suffix = suffix;
            this.delegate = delegate;
        }

        @Override
        protected boolean supports(Class<?> clazz) {
            return clazz == String.class;
        }

        @Override
        protected Object convertFromInternal(Message<?> message, Class<?> targetClass,
                @Nullable Object conversionHint) {
            return delegate.fromMessage(message, targetClass) + suffix;
        }
    }

    private static final Checkpointer NO_CHECKPOINTS = NoCheckpoints.forShard("shardId-000000000000");
}
