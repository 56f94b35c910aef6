package dev.kclboot.autoconfigure;

import java.time.Duration;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.spring.config.KinesisListenerEndpointRegistry;
import dev.kclboot.spring.listener.CheckpointMode;
import dev.kclboot.spring.listener.DeliveryOptions;
import dev.kclboot.spring.listener.ExhaustedAction;
import dev.kclboot.spring.listener.KinesisListenerSettings;
import dev.kclboot.spring.listener.recovery.LoggingRecordRecoverer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.backoff.FixedBackOff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@code @KinesisListener(concurrency, window)} and {@code kcl.listener.*} reach the listener settings (the attribute
 * wins), the window defaults to max(100, 10 × concurrency), and wrong values or a concurrency above 1 with MANUAL
 * checkpoints fail the startup naming the attribute or property. Nothing here calls AWS (the listeners do not start).
 */
class ConcurrencyAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, KclAutoConfiguration.class))
            .withPropertyValues("kcl.region=eu-west-1", "kcl.auto-startup=false", "kcl.application-name=a",
                    "kcl.stream=s");

    @Test
    void byDefaultAShardIsDeliveredOneRecordAtATime() {
        runner.withUserConfiguration(PlainListenerConfiguration.class).run(context -> {
            DeliveryOptions options = options(context.getBean(KinesisListenerEndpointRegistry.class), "plain");
            assertThat(options.concurrency()).isEqualTo(1);
            assertThat(options.isParallel()).isFalse();
            assertThat(options.window()).isEqualTo(100);
        });
    }

    @Test
    void thePropertiesSetTheDefaultAndTheWindowFollowsTheConcurrency() {
        runner.withUserConfiguration(PlainListenerConfiguration.class)
                .withPropertyValues("kcl.listener.concurrency=25").run(context -> {
            DeliveryOptions options = options(context.getBean(KinesisListenerEndpointRegistry.class), "plain");
            assertThat(options.concurrency()).isEqualTo(25);
            assertThat(options.window()).isEqualTo(250);
        });
        runner.withUserConfiguration(PlainListenerConfiguration.class)
                .withPropertyValues("kcl.listener.concurrency=4", "kcl.listener.window=40").run(context -> {
                    DeliveryOptions options = options(context.getBean(KinesisListenerEndpointRegistry.class),
                            "plain");
                    assertThat(options.concurrency()).isEqualTo(4);
                    assertThat(options.window()).isEqualTo(40);
                });
    }

    @Test
    void theAttributesWinOverTheProperties() {
        runner.withUserConfiguration(Attributes.class).withPropertyValues("kcl.listener.concurrency=3",
                "kcl.listener.window=30", "test.concurrency=8").run(context -> {
                    KinesisListenerEndpointRegistry registry = context.getBean(KinesisListenerEndpointRegistry.class);
                    DeliveryOptions both = options(registry, "both");
                    assertThat(both.concurrency()).isEqualTo(8);
                    assertThat(both.window()).isEqualTo(16);
                    DeliveryOptions window = options(registry, "window");
                    assertThat(window.concurrency()).isEqualTo(3);
                    assertThat(window.window()).isEqualTo(7);
                });
    }

    @Test
    void wrongValuesFailTheStartupNamingTheAttributeOrProperty() {
        runner.withUserConfiguration(Invalid.class).withPropertyValues("test.concurrency=0")
                .run(context -> assertThat(context.getStartupFailure()).hasStackTraceContaining(
                        "@KinesisListener(concurrency)").hasStackTraceContaining("is not at least 1"));
        runner.withUserConfiguration(Invalid.class).withPropertyValues("test.concurrency=many")
                .run(context -> assertThat(context.getStartupFailure()).hasStackTraceContaining(
                        "@KinesisListener(concurrency)").hasStackTraceContaining("is not a whole number"));
        runner.withUserConfiguration(Invalid.class).withPropertyValues("test.window=-5")
                .run(context -> assertThat(context.getStartupFailure()).hasStackTraceContaining(
                        "@KinesisListener(window)"));
        runner.withUserConfiguration(PlainListenerConfiguration.class).withPropertyValues("kcl.listener.concurrency=0")
                .run(context -> assertThat(context.getStartupFailure()).hasStackTraceContaining(
                        "kcl.listener.concurrency must be at least 1"));
        runner.withUserConfiguration(PlainListenerConfiguration.class).withPropertyValues("kcl.listener.window=0")
                .run(context -> assertThat(context.getStartupFailure()).hasStackTraceContaining(
                        "kcl.listener.window must be at least 1"));
        runner.withUserConfiguration(PlainListenerConfiguration.class).withPropertyValues("kcl.listener.concurency=4")
                .run(context -> assertThat(context.getStartupFailure()).hasStackTraceContaining(
                        "kcl.listener.concurency").hasStackTraceContaining("kcl.listener.concurrency"));
    }

    @Test
    void aConcurrencyAboveOneWithManualCheckpointsFailsTheStartup() {
        runner.withUserConfiguration(Manual.class).withPropertyValues("test.concurrency=4")
                .run(context -> assertThat(context.getStartupFailure()).hasStackTraceContaining(
                        "@KinesisListener(concurrency) or kcl.listener.concurrency")
                        .hasStackTraceContaining("checkpointMode MANUAL"));
        runner.withUserConfiguration(Manual.class).run(context -> assertThat(context).hasNotFailed());
        runner.withUserConfiguration(PlainListenerConfiguration.class)
                .withPropertyValues("kcl.listener.concurrency=2", "kcl.checkpoint.mode=MANUAL")
                .run(context -> assertThat(context.getStartupFailure()).hasStackTraceContaining(
                        "Listener 'plain' has concurrency 2 (@KinesisListener(concurrency) or "
                                + "kcl.listener.concurrency) and checkpointMode MANUAL"));
        runner.withUserConfiguration(Manual.class).withPropertyValues("kcl.listener.concurrency=3")
                .run(context -> assertThat(context.getStartupFailure()).hasStackTraceContaining(
                        "Listener 'manual' has concurrency 3"));
        // A listener with a mode of its own is not held to the MANUAL default.
        runner.withUserConfiguration(OwnMode.class)
                .withPropertyValues("kcl.listener.concurrency=2", "kcl.checkpoint.mode=MANUAL")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void settingsMadeWithoutTheFactoryAreHeldToTheSameRule() {
        assertThatIllegalArgumentException().isThrownBy(() -> new KinesisListenerSettings("direct", "a", "s", false,
                CheckpointMode.MANUAL, Duration.ofSeconds(10), true, 1, new FixedBackOff(), ExhaustedAction.RECOVER,
                new LoggingRecordRecoverer(), null, new DeliveryOptions(false, null, null, 4, 40)))
                .withMessageContaining("Listener 'direct' has concurrency 4");
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnMode {

        @Bean
        OwnModeListener ownModeListener() {
            return new OwnModeListener();
        }
    }

    static class OwnModeListener {

        @KinesisListener(id = "own", checkpointMode = "RECORD")
        void onRecord(String payload) {
        }
    }

    private static DeliveryOptions options(KinesisListenerEndpointRegistry registry, String id) {
        return registry.getListenerContainer(id).getSettings().delivery();
    }

    @Configuration(proxyBeanMethods = false)
    static class Attributes {

        @Bean
        AttributeListeners attributeListeners() {
            return new AttributeListeners();
        }
    }

    static class AttributeListeners {

        @KinesisListener(id = "both", stream = "s1", concurrency = "${test.concurrency}", window = "16")
        void both(String payload) {
        }

        @KinesisListener(id = "window", stream = "s2", window = "7")
        void window(String payload) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Invalid {

        @Bean
        InvalidListener invalidListener() {
            return new InvalidListener();
        }
    }

    static class InvalidListener {

        @KinesisListener(id = "invalid", concurrency = "${test.concurrency:}", window = "${test.window:}")
        void onRecord(String payload) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Manual {

        @Bean
        ManualListener manualListener() {
            return new ManualListener();
        }
    }

    static class ManualListener {

        @KinesisListener(id = "manual", checkpointMode = "MANUAL", concurrency = "${test.concurrency:}")
        void onRecord(String payload, Checkpointer checkpointer) {
        }
    }
}
