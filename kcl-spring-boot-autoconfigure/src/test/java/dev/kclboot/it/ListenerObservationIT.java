package dev.kclboot.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.spring.support.micrometer.KinesisMdc;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With a {@link TestObservationRegistry} bean, every listener delivery is exactly one observation: a record listener's
 * three records, one of which fails once, make four (the failed attempt with its error); a batch listener's batches
 * make one each, with the sequence number of their first record. Each has the documented key values, and inside the
 * listener the MDC holds the stream, shard, sequence number and listener id of the delivery.
 */
@SpringBootTest(classes = ListenerObservationIT.App.class, properties = "kcl.polling.max-records=4")
class ListenerObservationIT extends ListenerIntegrationTest {

    static final StreamFixture orders = new StreamFixture(1);

    static final StreamFixture payments = new StreamFixture(orders.application, 1);

    static final List<String> paymentPayloads = IntStream.rangeClosed(1, 10).mapToObj(i -> "p-" + i).toList();

    static {
        paymentPayloads.forEach(payload -> payments.put(payload, payload));
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("kcl.application-name", () -> orders.application);
        registry.add("test.orders", () -> orders.stream);
        registry.add("test.payments", () -> payments.stream);
    }

    @Autowired
    Listeners listeners;

    @Autowired
    Observed observed;

    @Autowired
    TestObservationRegistry registry;

    @Test
    void eachDeliveryIsOneObservationWithTheDocumentedKeyValuesAndTheMdcHoldsTheRecord() {
        List.of("o-1", "o-2", "o-3").forEach(payload -> orders.put(payload, payload));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(listeners.orders).hasSize(3);
            assertThat(listeners.payments).hasSize(paymentPayloads.size());
            assertThat(observed.onStream(orders.stream)).hasSize(4);
            assertThat(observed.onStream(payments.stream)).hasSize(listeners.paymentBatches.size());
        });
        assertThat(listeners.orders).containsExactly("o-1", "o-2", "o-3");
        assertThat(listeners.payments).containsExactlyElementsOf(paymentPayloads);
        assertThat(listeners.paymentBatches).anySatisfy(batch -> assertThat(batch).hasSizeGreaterThan(1));

        // Records: o-1, o-2 (fails), o-2 again, o-3: four deliveries, four observations, one with the error.
        List<Observation.Context> orderDeliveries = observed.onStream(orders.stream);
        assertThat(orderDeliveries).extracting(context -> high(context, "kcl.sequence.number")).containsExactly(
                orders.sequenceOf("o-1"), orders.sequenceOf("o-2"), orders.sequenceOf("o-2"), orders.sequenceOf("o-3"));
        assertThat(orderDeliveries).extracting(Observation.Context::getError).satisfiesExactly(
                error -> assertThat(error).isNull(),
                error -> assertThat(error).isInstanceOf(IllegalStateException.class).hasMessage("o-2 fails once"),
                error -> assertThat(error).isNull(), error -> assertThat(error).isNull());
        String orderShard = orders.written.get("o-1").shardId();
        assertThat(orderDeliveries).allSatisfy(context -> {
            assertThat(context.getName()).isEqualTo("kcl.listener");
            assertThat(context.getContextualName()).isEqualTo(orders.stream + " process");
            assertThat(context.getLowCardinalityKeyValues()).containsExactlyInAnyOrder(
                    KeyValue.of("messaging.system", "aws_kinesis"), KeyValue.of("kcl.application", orders.application),
                    KeyValue.of("kcl.stream", orders.stream), KeyValue.of("kcl.listener.id", "orders"));
            assertThat(high(context, "kcl.shard.id")).isEqualTo(orderShard);
        });

        // Batches: one observation per listener call, with the first record of the batch.
        List<Observation.Context> paymentDeliveries = observed.onStream(payments.stream);
        assertThat(paymentDeliveries).extracting(context -> high(context, "kcl.sequence.number"))
                .containsExactlyElementsOf(listeners.paymentBatches.stream()
                        .map(batch -> payments.sequenceOf(batch.get(0))).toList());
        assertThat(paymentDeliveries).allSatisfy(context -> {
            assertThat(context.getLowCardinalityKeyValue("kcl.listener.id").getValue()).isEqualTo("payments");
            assertThat(context.getError()).isNull();
        });
        TestObservationRegistryAssert.assertThat(registry).hasNumberOfObservationsWithNameEqualTo("kcl.listener",
                orderDeliveries.size() + paymentDeliveries.size());

        // The MDC inside each call: the delivery's stream, shard, (first) sequence number and listener id.
        assertThat(listeners.orderMdc).containsExactly(
                mdc(orders, "o-1", "orders"), mdc(orders, "o-2", "orders"), mdc(orders, "o-2", "orders"),
                mdc(orders, "o-3", "orders"));
        assertThat(listeners.paymentMdc).containsExactlyElementsOf(listeners.paymentBatches.stream()
                .map(batch -> mdc(payments, batch.get(0), "payments")).toList());
    }

    private static String high(Observation.Context context, String key) {
        return context.getHighCardinalityKeyValue(key).getValue();
    }

    private static Map<String, String> mdc(StreamFixture fixture, String payload, String listener) {
        return Map.of(KinesisMdc.STREAM, fixture.stream, KinesisMdc.SHARD_ID, fixture.written.get(payload).shardId(),
                KinesisMdc.SEQUENCE_NUMBER, fixture.sequenceOf(payload), KinesisMdc.LISTENER_ID, listener);
    }

    private static Map<String, String> currentMdc() {
        Map<String, String> all = MDC.getCopyOfContextMap();
        return Map.of(KinesisMdc.STREAM, all.get(KinesisMdc.STREAM), KinesisMdc.SHARD_ID, all.get(KinesisMdc.SHARD_ID),
                KinesisMdc.SEQUENCE_NUMBER, all.get(KinesisMdc.SEQUENCE_NUMBER), KinesisMdc.LISTENER_ID,
                all.get(KinesisMdc.LISTENER_ID));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        TestObservationRegistry observationRegistry() {
            return TestObservationRegistry.create();
        }

        /** An observation handler bean: Boot registers it with the registry. */
        @Bean
        Observed observed() {
            return new Observed();
        }

        @Bean
        Listeners listeners() {
            return new Listeners();
        }
    }

    /** Records the observations that stopped, in order. */
    static class Observed implements ObservationHandler<Observation.Context> {

        final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }

        @Override
        public void onStop(Observation.Context context) {
            stopped.add(context);
        }

        List<Observation.Context> onStream(String stream) {
            return stopped.stream().filter(context -> context.getLowCardinalityKeyValue("kcl.stream") != null
                    && stream.equals(context.getLowCardinalityKeyValue("kcl.stream").getValue())).toList();
        }
    }

    static class Listeners {

        final List<String> orders = new CopyOnWriteArrayList<>();

        final List<Map<String, String>> orderMdc = new CopyOnWriteArrayList<>();

        final Set<String> failedOnce = ConcurrentHashMap.newKeySet();

        final List<String> payments = new CopyOnWriteArrayList<>();

        final List<List<String>> paymentBatches = new CopyOnWriteArrayList<>();

        final List<Map<String, String>> paymentMdc = new CopyOnWriteArrayList<>();

        @KinesisListener(id = "orders", stream = "${test.orders}")
        void onOrder(String payload, KinesisRecord record) {
            orderMdc.add(currentMdc());
            if (payload.equals("o-2") && failedOnce.add(payload)) {
                throw new IllegalStateException("o-2 fails once");
            }
            orders.add(payload);
        }

        @KinesisListener(id = "payments", stream = "${test.payments}", batch = "true")
        void onPayments(List<String> batch) {
            paymentMdc.add(currentMdc());
            paymentBatches.add(List.copyOf(batch));
            payments.addAll(batch);
        }
    }
}
