package dev.kclboot.autoconfigure;

import java.time.Duration;

import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.spring.config.KinesisListenerEndpointRegistry;
import dev.kclboot.spring.listener.DeliveryOptions;
import dev.kclboot.spring.listener.KinesisListenerSettings;
import dev.kclboot.spring.listener.KinesisRecordFilterStrategy;
import dev.kclboot.spring.listener.KinesisRecordRecoverer;
import dev.kclboot.spring.listener.filter.ExpressionRecordFilter;
import dev.kclboot.spring.listener.recovery.KinesisDeadLetterPublishingRecoverer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The failure-handling attributes and properties reach the listener settings, wrong values fail the startup naming
 * the attribute, and {@code kcl.dead-letter.stream} auto-configures the dead-letter recoverer unless the application
 * has a recoverer of its own. Nothing here calls AWS (the listeners do not start).
 */
class FailureHandlingAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, KclAutoConfiguration.class))
            .withPropertyValues("kcl.region=eu-west-1", "kcl.auto-startup=false", "kcl.application-name=a",
                    "kcl.stream=s");

    @Test
    void attributesResolvePlaceholdersSpelFiltersAndFilterBeans() {
        runner.withUserConfiguration(Listeners.class).withPropertyValues("test.bisect=true", "test.age=90m")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    DeliveryOptions spel = settings(context.getBean(KinesisListenerEndpointRegistry.class), "spel")
                            .delivery();
                    assertThat(spel.bisectOnError()).isTrue();
                    assertThat(spel.maxRecordAge()).isEqualTo(Duration.ofMinutes(90));
                    assertThat(spel.filter()).isInstanceOf(ExpressionRecordFilter.class);
                    DeliveryOptions bean = settings(context.getBean(KinesisListenerEndpointRegistry.class), "bean")
                            .delivery();
                    assertThat(bean.filter()).isSameAs(context.getBean("onlyOrders"));
                    assertThat(bean.bisectOnError()).isFalse();
                    assertThat(bean.maxRecordAge()).isNull();
                });
    }

    @Test
    void listenersThatSayNothingTakeThePropertyDefaults() {
        runner.withUserConfiguration(PlainListenerConfiguration.class)
                .withPropertyValues("kcl.retry.bisect-on-error=true", "kcl.retry.max-record-age=2h").run(context -> {
                    DeliveryOptions options = settings(context.getBean(KinesisListenerEndpointRegistry.class),
                            "plain").delivery();
                    assertThat(options.bisectOnError()).isTrue();
                    assertThat(options.maxRecordAge()).isEqualTo(Duration.ofHours(2));
                    assertThat(options.filter()).isNull();
                });
        runner.withUserConfiguration(PlainListenerConfiguration.class).run(context -> assertThat(settings(
                context.getBean(KinesisListenerEndpointRegistry.class), "plain").delivery())
                .isEqualTo(DeliveryOptions.DEFAULTS));
    }

    @Test
    void wrongAttributesFailTheStartupNamingTheAttribute() {
        runner.withUserConfiguration(Invalid.class).withPropertyValues("test.filter=partitionKey ==")
                .run(context -> assertThat(context.getStartupFailure()).hasStackTraceContaining(
                        "@KinesisListener(filter)").hasStackTraceContaining("is not a SpEL expression"));
        runner.withUserConfiguration(Invalid.class).withPropertyValues("test.filter=notAFilter")
                .run(context -> assertThat(context.getStartupFailure()).hasStackTraceContaining(
                        "@KinesisListener(filter)").hasStackTraceContaining(
                                "bean 'notAFilter' is not a KinesisRecordFilterStrategy"));
        runner.withUserConfiguration(Invalid.class).withPropertyValues("test.age=0s")
                .run(context -> assertThat(context.getStartupFailure()).hasStackTraceContaining(
                        "@KinesisListener(maxRecordAge)"));
        runner.withUserConfiguration(Invalid.class).withPropertyValues("test.age=soon")
                .run(context -> assertThat(context.getStartupFailure()).hasStackTraceContaining(
                        "@KinesisListener(maxRecordAge)"));
        runner.withUserConfiguration(Invalid.class).withPropertyValues("test.bisect=maybe")
                .run(context -> assertThat(context.getStartupFailure()).hasStackTraceContaining(
                        "@KinesisListener(bisectOnError)"));
    }

    @Test
    void theDeadLetterStreamMakesTheDeadLetterRecovererTheDefault() {
        runner.withUserConfiguration(PlainListenerConfiguration.class)
                .withPropertyValues("kcl.dead-letter.stream=orders-dlq")
                .run(context -> {
                    KinesisDeadLetterPublishingRecoverer recoverer = context
                            .getBean(KinesisDeadLetterPublishingRecoverer.class);
                    assertThat(recoverer.getStream()).isEqualTo("orders-dlq");
                    assertThat(settings(context.getBean(KinesisListenerEndpointRegistry.class), "plain").recoverer())
                            .isSameAs(recoverer);
                });
        runner.withUserConfiguration(PlainListenerConfiguration.class).run(context -> assertThat(context)
                .doesNotHaveBean(KinesisDeadLetterPublishingRecoverer.class));
    }

    @Test
    void aRecovererOfTheApplicationsOwnWinsOverTheDeadLetterStream() {
        KinesisRecordRecoverer own = (record, metadata, failure) -> {
        };
        runner.withUserConfiguration(PlainListenerConfiguration.class)
                .withBean("own", KinesisRecordRecoverer.class, () -> own)
                .withPropertyValues("kcl.dead-letter.stream=orders-dlq").run(context -> {
                    assertThat(context).doesNotHaveBean(KinesisDeadLetterPublishingRecoverer.class);
                    assertThat(settings(context.getBean(KinesisListenerEndpointRegistry.class), "plain").recoverer())
                            .isSameAs(own);
                });
    }

    private static KinesisListenerSettings settings(KinesisListenerEndpointRegistry registry, String id) {
        return registry.getListenerContainer(id).getSettings();
    }

    @Configuration(proxyBeanMethods = false)
    static class Listeners {

        @Bean
        ListenerBeans listenerBeans() {
            return new ListenerBeans();
        }

        @Bean
        KinesisRecordFilterStrategy onlyOrders() {
            return (record, metadata) -> record.partitionKey().startsWith("order");
        }
    }

    static class ListenerBeans {

        @KinesisListener(id = "spel", stream = "s1", batch = "true", bisectOnError = "${test.bisect}",
                maxRecordAge = "${test.age}", filter = "partitionKey != 'test'")
        void spel(java.util.List<String> payloads) {
        }

        @KinesisListener(id = "bean", stream = "s2", filter = "onlyOrders")
        void bean(String payload) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Invalid {

        @Bean
        InvalidListener invalidListener() {
            return new InvalidListener();
        }

        @Bean
        String notAFilter() {
            return "not a filter";
        }
    }

    static class InvalidListener {

        @KinesisListener(id = "invalid", filter = "${test.filter:}", maxRecordAge = "${test.age:}",
                bisectOnError = "${test.bisect:}")
        void onRecord(String payload) {
        }
    }
}
