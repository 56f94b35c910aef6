package dev.kclboot.spring.listener.adapter;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.KinesisBatchListener;
import dev.kclboot.spring.listener.KinesisRecordListener;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
import dev.kclboot.spring.listener.recovery.PayloadConversionException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Listener method adapters: argument resolution, payload conversion and signature checks.
 */
class ListenerMethodAdapterFactoryTests {

    private final ListenerMethodAdapterFactory factory = new ListenerMethodAdapterFactory(
            new DefaultKinesisPayloadConverter(new JacksonPayloadConverter(new JsonMapper())));

    private final Listeners bean = new Listeners();

    @Test
    void pojoPayloadAndMetadata() throws Exception {
        KinesisRecordListener listener = (KinesisRecordListener) factory.create(bean, method("pojo"), false, false);
        KinesisRecord record = record("7", "{\"id\":\"a-1\",\"amount\":3}");
        listener.onRecord(record, KinesisRecordMetadata.of("orders", record), NO_CHECKPOINTS);
        assertThat(bean.calls).containsExactly("Order[id=a-1, amount=3] orders/7/pk");
    }

    @Test
    void rawPayloads() throws Exception {
        KinesisRecord record = record("1", "héllo");
        for (String name : List.of("string", "bytes", "buffer", "kinesisRecord")) {
            KinesisRecordListener listener = (KinesisRecordListener) factory.create(bean, method(name), false, false);
            listener.onRecord(record, KinesisRecordMetadata.of("s", record), NO_CHECKPOINTS);
        }
        assertThat(bean.calls).containsExactly("string héllo", "bytes héllo", "buffer héllo", "record 1");
    }

    @Test
    void malformedJsonBecomesAPayloadConversionExceptionNamingTheRecord() {
        KinesisRecordListener listener = (KinesisRecordListener) factory.create(bean, method("pojo"), false, false);
        KinesisRecord record = record("9", "{not json");
        assertThatExceptionOfType(PayloadConversionException.class)
                .isThrownBy(() -> listener.onRecord(record, KinesisRecordMetadata.of("s", record), NO_CHECKPOINTS))
                .satisfies(ex -> assertThat(ex.getRecord()).isSameAs(record))
                .withMessageContaining("record 9").withMessageContaining("Order");
        assertThat(bean.calls).isEmpty();
    }

    @Test
    void batchOfPojosWithRecordsAndMetadata() throws Exception {
        KinesisBatchListener listener = (KinesisBatchListener) factory.create(bean, method("batch"), true, false);
        List<KinesisRecord> records = List.of(record("1", "{\"id\":\"a\",\"amount\":1}"),
                record("2", "{\"id\":\"b\",\"amount\":2}"));
        listener.onBatch(records, records.stream().map(r -> KinesisRecordMetadata.of("s", r)).toList(),
                NO_CHECKPOINTS);
        assertThat(bean.calls).containsExactly("batch [a, b] 2 2");
    }

    @Test
    void manualCheckpointer() throws Exception {
        KinesisRecordListener listener = (KinesisRecordListener) factory.create(bean, method("manual"), false, true);
        KinesisRecord record = record("1", "x");
        listener.onRecord(record, KinesisRecordMetadata.of("s", record), NO_CHECKPOINTS);
        assertThat(bean.calls).containsExactly("manual shardId-000000000000");
    }

    @Test
    void exceptionsOfTheMethodAreRethrownAsTheyAre() {
        KinesisRecordListener listener = (KinesisRecordListener) factory.create(bean, method("failing"), false, false);
        KinesisRecord record = record("1", "x");
        assertThatExceptionOfType(java.io.IOException.class)
                .isThrownBy(() -> listener.onRecord(record, KinesisRecordMetadata.of("s", record), NO_CHECKPOINTS))
                .withMessage("checked");
    }

    @Test
    void invalidSignaturesNameTheMethodAndTheProblem() {
        assertInvalid("twoPayloads", false, false, "more than one payload parameter");
        assertInvalid("checkpointerWithoutManual", false, false, "needs checkpointMode MANUAL");
        assertInvalid("string", false, true, "checkpointMode MANUAL needs a Checkpointer parameter");
        assertInvalid("string", true, false, "the payload of a batch listener is a List");
        assertInvalid("kinesisRecord", true, false, "a batch listener receives List<KinesisRecord>");
        assertInvalid("recordList", false, false, "needs a batch listener");
        assertInvalid("rawList", true, false, "declare the element type");
    }

    @Test
    void withoutJacksonAPojoParameterFailsAtStartup() {
        ListenerMethodAdapterFactory noJackson = new ListenerMethodAdapterFactory(
                new DefaultKinesisPayloadConverter(null));
        assertThatExceptionOfType(InvalidKinesisListenerMethodException.class)
                .isThrownBy(() -> noJackson.create(bean, method("pojo"), false, false))
                .withMessageContaining("Listeners.pojo(Order, KinesisRecordMetadata)")
                .withMessageContaining("add Jackson");
    }

    private void assertInvalid(String name, boolean batch, boolean manual, String problem) {
        Method method = method(name);
        assertThatExceptionOfType(InvalidKinesisListenerMethodException.class)
                .isThrownBy(() -> factory.create(bean, method, batch, manual))
                .withMessageContaining(Listeners.class.getName() + "." + name + "(")
                .withMessageContaining(problem);
    }

    private static Method method(String name) {
        return Arrays.stream(Listeners.class.getDeclaredMethods()).filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow();
    }

    private static KinesisRecord record(String sequenceNumber, String payload) {
        return KinesisRecord.builder().shardId("shardId-000000000000").sequenceNumber(sequenceNumber)
                .partitionKey("pk").data(payload.getBytes(StandardCharsets.UTF_8)).build();
    }

    private static final Checkpointer NO_CHECKPOINTS = new Checkpointer() {

        @Override
        public void checkpoint() {
        }

        @Override
        public void checkpoint(String sequenceNumber) {
        }

        @Override
        public void checkpoint(String sequenceNumber, long subSequenceNumber) {
        }

        @Override
        public void checkpoint(KinesisRecord record) {
        }

        @Override
        public String shardId() {
            return "shardId-000000000000";
        }

        @Override
        public ExtendedSequenceNumber lastCheckpoint() {
            return ExtendedSequenceNumber.TRIM_HORIZON;
        }
    };

    record Order(String id, int amount) {
    }

    static class Listeners {

        final List<String> calls = new ArrayList<>();

        void pojo(Order order, KinesisRecordMetadata metadata) {
            calls.add(order + " " + metadata.streamName() + "/" + metadata.sequenceNumber() + "/"
                    + metadata.partitionKey());
        }

        void string(String payload) {
            calls.add("string " + payload);
        }

        void bytes(byte[] payload) {
            calls.add("bytes " + new String(payload, StandardCharsets.UTF_8));
        }

        void buffer(ByteBuffer payload) {
            calls.add("buffer " + StandardCharsets.UTF_8.decode(payload));
        }

        void kinesisRecord(KinesisRecord record) {
            calls.add("record " + record.sequenceNumber());
        }

        void batch(List<Order> orders, List<KinesisRecord> records, List<KinesisRecordMetadata> metadata) {
            calls.add("batch " + orders.stream().map(Order::id).toList() + " " + records.size() + " "
                    + metadata.size());
        }

        void manual(String payload, Checkpointer checkpointer) {
            calls.add("manual " + checkpointer.shardId());
        }

        void failing(String payload) throws java.io.IOException {
            throw new java.io.IOException("checked");
        }

        void twoPayloads(String a, Order b) {
        }

        void checkpointerWithoutManual(String payload, Checkpointer checkpointer) {
        }

        void recordList(List<KinesisRecord> records) {
        }

        @SuppressWarnings("rawtypes")
        void rawList(List records) {
        }
    }
}
