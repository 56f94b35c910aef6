package dev.kclboot.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.CheckpointMode;
import dev.kclboot.spring.listener.ExhaustedAction;
import dev.kclboot.spring.listener.KinesisListenerSettings;
import dev.kclboot.spring.listener.KinesisRecordListener;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
import dev.kclboot.spring.listener.NoCheckpoints;
import dev.kclboot.spring.listener.adapter.ListenerMethodAdapterFactory;
import dev.kclboot.spring.listener.recovery.LoggingRecordRecoverer;
import dev.kclboot.spring.support.micrometer.DefaultKinesisListenerObservationConvention;
import dev.kclboot.spring.support.micrometer.KinesisListenerObservationConvention;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.backoff.FixedBackOff;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The observation of listener deliveries as the auto-configuration wires it: Boot's {@code ObservationRegistry} (and
 * with it Boot's {@code management.observations.*} properties), a convention bean of the application, and none of
 * it without a registry. A recording {@link ObservationHandler} bean, which Boot registers, sees what is observed.
 */
class KclListenerObservationAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, KclAutoConfiguration.class))
            .withPropertyValues("kcl.region=eu-west-1", "kcl.auto-startup=false")
            .withUserConfiguration(Recording.class);

    @Test
    void bootsRegistryObservesEachDeliveryWithTheDocumentedKeyValues() {
        runner.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class)).run(context -> {
            deliver(context, "41");
            assertThat(context.getBean(Recording.class).stopped).singleElement().satisfies(observed -> {
                assertThat(observed.getName()).isEqualTo("kcl.listener");
                assertThat(observed.getLowCardinalityKeyValues()).containsExactlyInAnyOrder(
                        KeyValue.of("messaging.system", "aws_kinesis"), KeyValue.of("kcl.application", "shop"),
                        KeyValue.of("kcl.stream", "orders"), KeyValue.of("kcl.listener.id", "orders-listener"));
                assertThat(observed.getHighCardinalityKeyValues()).containsExactlyInAnyOrder(
                        KeyValue.of("kcl.shard.id", "shardId-000000000001"), KeyValue.of("kcl.sequence.number", "41"));
            });
        });
    }

    @Test
    void bootsCommonKeyValuesApply() {
        runner.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class))
                .withPropertyValues("management.observations.key-values.region=eu-central").run(context -> {
                    deliver(context, "42");
                    assertThat(context.getBean(Recording.class).stopped).singleElement()
                            .satisfies(observed -> assertThat(observed.getLowCardinalityKeyValues())
                                    .contains(KeyValue.of("region", "eu-central")));
                });
    }

    @Test
    void bootsEnablePropertyTurnsTheObservationOff() {
        runner.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class))
                .withPropertyValues("management.observations.enable.kcl.listener=false").run(context -> {
                    deliver(context, "43");
                    assertThat(context.getBean(Recording.class).delivered).containsExactly("43");
                    assertThat(context.getBean(Recording.class).stopped).isEmpty();
                });
    }

    @Test
    void aConventionBeanIsUsed() {
        runner.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class))
                .withBean(KinesisListenerObservationConvention.class, () -> new DefaultKinesisListenerObservationConvention() {

                    @Override
                    public String getName() {
                        return "shop.orders";
                    }
                }).run(context -> {
                    deliver(context, "44");
                    assertThat(context.getBean(Recording.class).stopped).singleElement()
                            .satisfies(observed -> assertThat(observed.getName()).isEqualTo("shop.orders"));
                });
    }

    @Test
    void withoutARegistryNothingIsObserved() {
        runner.run(context -> {
            assertThat(context).doesNotHaveBean(io.micrometer.observation.ObservationRegistry.class);
            deliver(context, "45");
            assertThat(context.getBean(Recording.class).delivered).containsExactly("45");
            assertThat(context.getBean(Recording.class).stopped).isEmpty();
        });
    }

    private static void deliver(ApplicationContext context, String sequenceNumber) throws Exception {
        Recording recording = context.getBean(Recording.class);
        KinesisListenerSettings settings = new KinesisListenerSettings("orders-listener", "shop", "orders", false,
                CheckpointMode.BATCH, Duration.ofSeconds(10), true, 1, new FixedBackOff(1, 1),
                ExhaustedAction.RECOVER, new LoggingRecordRecoverer());
        KinesisRecordListener listener = (KinesisRecordListener) context.getBean(ListenerMethodAdapterFactory.class)
                .create(recording, Recording.class.getDeclaredMethod("onRecord", KinesisRecord.class), settings);
        KinesisRecord record = KinesisRecord.builder().shardId("shardId-000000000001").sequenceNumber(sequenceNumber)
                .partitionKey("k").data("x".getBytes(StandardCharsets.UTF_8)).build();
        listener.onRecord(record, KinesisRecordMetadata.of("orders", record), NO_CHECKPOINTS);
    }

    @Configuration(proxyBeanMethods = false)
    static class Recording {

        final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

        final List<String> delivered = new CopyOnWriteArrayList<>();

        void onRecord(KinesisRecord record) {
            delivered.add(record.sequenceNumber());
        }

        @Bean
        ObservationHandler<Observation.Context> recordingHandler() {
            return new ObservationHandler<>() {

                @Override
                public boolean supportsContext(Observation.Context context) {
                    return true;
                }

                @Override
                public void onStop(Observation.Context context) {
                    stopped.add(context);
                }
            };
        }
    }

    private static final Checkpointer NO_CHECKPOINTS = NoCheckpoints.forShard("shardId-000000000001");
}
