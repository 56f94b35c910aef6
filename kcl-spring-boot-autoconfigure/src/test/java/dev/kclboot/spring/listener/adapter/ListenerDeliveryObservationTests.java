package dev.kclboot.spring.listener.adapter;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.CheckpointMode;
import dev.kclboot.spring.listener.ExhaustedAction;
import dev.kclboot.spring.listener.KinesisBatchListener;
import dev.kclboot.spring.listener.KinesisListenerSettings;
import dev.kclboot.spring.listener.KinesisRecordListener;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
import dev.kclboot.spring.listener.NoCheckpoints;
import dev.kclboot.spring.listener.recovery.LoggingRecordRecoverer;
import dev.kclboot.spring.listener.recovery.PayloadConversionException;
import dev.kclboot.spring.support.converter.KinesisMessageConverters;
import dev.kclboot.spring.support.micrometer.DefaultKinesisListenerObservationConvention;
import dev.kclboot.spring.support.micrometer.KinesisListenerObservationContext;
import dev.kclboot.spring.support.micrometer.KinesisMdc;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.util.backoff.FixedBackOff;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The observation and MDC of each listener delivery, with a {@link TestObservationRegistry}: one observation per
 * call, with the documented key values, the error of a failed call, the MDC keys during the call only.
 */
class ListenerDeliveryObservationTests {

    private final TestObservationRegistry registry = TestObservationRegistry.create();

    /** The contexts of the observations stopped, in order. */
    private final List<Observation.Context> stopped = new ArrayList<>();

    {
        registry.observationConfig().observationHandler(new ObservationHandler<>() {

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }

            @Override
            public void onStop(Observation.Context context) {
                stopped.add(context);
            }
        });
    }

    private final Listeners bean = new Listeners();

    private final ListenerMethodAdapterFactory factory = factory();

    @Test
    void eachRecordDeliveryIsOneObservationWithTheDocumentedKeyValues() throws Exception {
        KinesisRecordListener listener = (KinesisRecordListener) factory.create(bean, method("record"),
                settings(false));
        listener.onRecord(record("11", "a"), metadata(record("11", "a")), NO_CHECKPOINTS);
        listener.onRecord(record("12", "b"), metadata(record("12", "b")), NO_CHECKPOINTS);
        List<Observation.Context> contexts = contexts();
        assertThat(contexts).hasSize(2);
        assertThat(contexts).allSatisfy(context -> {
            assertThat(context.getName()).isEqualTo("kcl.listener");
            assertThat(context.getContextualName()).isEqualTo("orders process");
            assertThat(context.getLowCardinalityKeyValues()).containsExactlyInAnyOrder(
                    KeyValue.of("messaging.system", "aws_kinesis"), KeyValue.of("kcl.application", "shop"),
                    KeyValue.of("kcl.stream", "orders"), KeyValue.of("kcl.listener.id", "orders-listener"));
            assertThat(context.getError()).isNull();
        });
        assertThat(contexts).extracting(context -> context.getHighCardinalityKeyValue("kcl.sequence.number").getValue())
                .containsExactly("11", "12");
        assertThat(contexts).extracting(context -> context.getHighCardinalityKeyValue("kcl.shard.id").getValue())
                .containsExactly("shardId-000000000003", "shardId-000000000003");
        assertThat(bean.mdc).containsExactly(
                Map.of(KinesisMdc.STREAM, "orders", KinesisMdc.SHARD_ID, "shardId-000000000003",
                        KinesisMdc.SEQUENCE_NUMBER, "11", KinesisMdc.LISTENER_ID, "orders-listener"),
                Map.of(KinesisMdc.STREAM, "orders", KinesisMdc.SHARD_ID, "shardId-000000000003",
                        KinesisMdc.SEQUENCE_NUMBER, "12", KinesisMdc.LISTENER_ID, "orders-listener"));
        assertThat(MDC.get(KinesisMdc.SHARD_ID)).isNull();
        assertThat(MDC.get(KinesisMdc.SEQUENCE_NUMBER)).isNull();
        assertThat(MDC.get(KinesisMdc.STREAM)).isNull();
        assertThat(MDC.get(KinesisMdc.LISTENER_ID)).isNull();
    }

    @Test
    void aBatchIsOneObservationWithItsFirstSequenceNumber() throws Exception {
        KinesisBatchListener listener = (KinesisBatchListener) factory.create(bean, method("batch"), settings(true));
        List<KinesisRecord> records = List.of(record("21", "a"), record("22", "b"), record("23", "c"));
        listener.onBatch(records, records.stream().map(ListenerDeliveryObservationTests::metadata).toList(),
                NO_CHECKPOINTS);
        assertThat(contexts()).singleElement().satisfies(context -> {
            assertThat(context.getHighCardinalityKeyValue("kcl.sequence.number").getValue()).isEqualTo("21");
            assertThat(((KinesisListenerObservationContext) context).getRecords()).isEqualTo(records);
            assertThat(((KinesisListenerObservationContext) context).isBatch()).isTrue();
        });
        assertThat(bean.mdc).singleElement().satisfies(mdc -> assertThat(mdc.get(KinesisMdc.SEQUENCE_NUMBER))
                .isEqualTo("21"));
    }

    @Test
    void aFailedCallIsAnObservationWithItsError() {
        KinesisRecordListener listener = (KinesisRecordListener) factory.create(bean, method("failing"),
                settings(false));
        KinesisRecord record = record("31", "x");
        assertThatExceptionOfType(IllegalStateException.class)
                .isThrownBy(() -> listener.onRecord(record, metadata(record), NO_CHECKPOINTS));
        assertThat(contexts()).singleElement().satisfies(context -> assertThat(context.getError())
                .isInstanceOf(IllegalStateException.class).hasMessage("boom 31"));
        assertThat(MDC.get(KinesisMdc.SEQUENCE_NUMBER)).isNull();
    }

    @Test
    void anUnconvertiblePayloadIsObservedAsAFailedDelivery() {
        KinesisBatchListener listener = (KinesisBatchListener) factory.create(bean, method("batchOfNumbers"),
                settings(true));
        List<KinesisRecord> records = List.of(record("41", "1"), record("42", "not a number"));
        assertThatExceptionOfType(PayloadConversionException.class).isThrownBy(() -> listener.onBatch(records,
                records.stream().map(ListenerDeliveryObservationTests::metadata).toList(), NO_CHECKPOINTS));
        assertThat(contexts()).singleElement().satisfies(context -> assertThat(context.getError())
                .isInstanceOf(PayloadConversionException.class));
    }

    @Test
    void aConventionOfTheApplicationNamesTheObservation() throws Exception {
        ListenerMethodAdapterFactory custom = factory();
        custom.setObservationConvention(new DefaultKinesisListenerObservationConvention() {

            @Override
            public String getName() {
                return "orders.delivery";
            }

            @Override
            public KeyValues getLowCardinalityKeyValues(KinesisListenerObservationContext context) {
                return super.getLowCardinalityKeyValues(context).and("tenant",
                        context.getRecords().get(0).partitionKey());
            }
        });
        KinesisRecordListener listener = (KinesisRecordListener) custom.create(bean, method("record"),
                settings(false));
        listener.onRecord(record("51", "a"), metadata(record("51", "a")), NO_CHECKPOINTS);
        assertThat(contexts()).singleElement().satisfies(context -> {
            assertThat(context.getName()).isEqualTo("orders.delivery");
            assertThat(context.getLowCardinalityKeyValue("tenant").getValue()).isEqualTo("acme");
        });
    }

    @Test
    void withoutARegistryTheMdcIsSetAndNothingIsObserved() throws Exception {
        ListenerMethodAdapterFactory unobserved = new ListenerMethodAdapterFactory(
                new CompositeMessageConverter(KinesisMessageConverters.raw()), null, List.of());
        KinesisRecordListener listener = (KinesisRecordListener) unobserved.create(bean, method("record"),
                settings(false));
        listener.onRecord(record("61", "a"), metadata(record("61", "a")), NO_CHECKPOINTS);
        assertThat(bean.mdc).singleElement().satisfies(mdc -> assertThat(mdc.get(KinesisMdc.SEQUENCE_NUMBER))
                .isEqualTo("61"));
        assertThat(contexts()).isEmpty();
    }

    private ListenerMethodAdapterFactory factory() {
        List<MessageConverter> converters = KinesisMessageConverters.raw();
        converters.add(new JacksonJsonMessageConverter(new JsonMapper()));
        ListenerMethodAdapterFactory adapters = new ListenerMethodAdapterFactory(
                new CompositeMessageConverter(converters), null, List.of());
        adapters.setObservationRegistry(registry);
        return adapters;
    }

    private List<Observation.Context> contexts() {
        TestObservationRegistryAssert.assertThat(registry).hasNumberOfObservationsWithNameEqualTo(
                stopped.isEmpty() ? "kcl.listener" : stopped.get(0).getName(), stopped.size());
        return stopped;
    }

    private static KinesisListenerSettings settings(boolean batch) {
        return new KinesisListenerSettings("orders-listener", "shop", "orders", batch, CheckpointMode.BATCH,
                Duration.ofSeconds(10), true, 1, new FixedBackOff(1, 1), ExhaustedAction.RECOVER,
                new LoggingRecordRecoverer());
    }

    private static Method method(String name) {
        return Arrays.stream(Listeners.class.getDeclaredMethods()).filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow();
    }

    private static KinesisRecord record(String sequenceNumber, String payload) {
        return KinesisRecord.builder().shardId("shardId-000000000003").sequenceNumber(sequenceNumber)
                .partitionKey("acme").data(payload.getBytes(StandardCharsets.UTF_8)).build();
    }

    private static KinesisRecordMetadata metadata(KinesisRecord record) {
        return KinesisRecordMetadata.of("orders", record);
    }

    private static final Checkpointer NO_CHECKPOINTS = NoCheckpoints.forShard("shardId-000000000003");

    static class Listeners {

        final List<Map<String, String>> mdc = new ArrayList<>();

        void record(String payload) {
            mdc.add(Map.copyOf(MDC.getCopyOfContextMap()));
        }

        void batch(List<String> payloads) {
            mdc.add(Map.copyOf(MDC.getCopyOfContextMap()));
        }

        void batchOfNumbers(List<Integer> numbers) {
        }

        void failing(dev.kclboot.core.record.KinesisRecord record) {
            throw new IllegalStateException("boom " + record.sequenceNumber());
        }
    }
}
