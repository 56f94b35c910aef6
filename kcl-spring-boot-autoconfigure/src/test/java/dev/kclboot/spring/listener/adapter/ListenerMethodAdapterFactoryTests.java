package dev.kclboot.spring.listener.adapter;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
import dev.kclboot.spring.support.KinesisHeaders;
import dev.kclboot.spring.support.converter.KinesisMessageConverters;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.handler.annotation.support.MethodArgumentNotValidException;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.util.backoff.FixedBackOff;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Listener method adapters on spring-messaging, driven directly (no container): argument resolution, payload
 * conversion and validation, headers, custom resolvers and the startup checks of signatures.
 */
class ListenerMethodAdapterFactoryTests {

    private final ListenerMethodAdapterFactory factory = new ListenerMethodAdapterFactory(withJson(), null,
            List.of());

    private final Listeners bean = new Listeners();

    @Test
    void pojoPayloadAndMetadata() throws Exception {
        KinesisRecordListener listener = recordListener(factory, "pojo");
        KinesisRecord record = record("7", "{\"id\":\"a-1\",\"amount\":3}");
        listener.onRecord(record, KinesisRecordMetadata.of("orders", record), NO_CHECKPOINTS);
        assertThat(bean.calls).containsExactly("Order[id=a-1, amount=3] orders/7/pk");
    }

    @Test
    void rawPayloads() throws Exception {
        KinesisRecord record = record("1", "héllo");
        for (String name : List.of("string", "bytes", "buffer", "kinesisRecord")) {
            recordListener(factory, name).onRecord(record, KinesisRecordMetadata.of("s", record), NO_CHECKPOINTS);
        }
        assertThat(bean.calls).containsExactly("string héllo", "bytes héllo", "buffer héllo", "record 1");
    }

    @Test
    void anEmptyRecordIsAnEmptyStringNotAMissingPayload() throws Exception {
        KinesisRecord record = record("1", "");
        recordListener(factory, "string").onRecord(record, KinesisRecordMetadata.of("s", record), NO_CHECKPOINTS);
        recordListener(factory, "messageOfString").onRecord(record, KinesisRecordMetadata.of("s", record),
                NO_CHECKPOINTS);
        assertThat(bean.calls).containsExactly("string ", "message  1");
    }

    @Test
    void messageOfPojoCarriesTheHeaders() throws Exception {
        KinesisRecord record = record("7", "{\"id\":\"a-1\",\"amount\":3}");
        recordListener(factory, "messageOfPojo").onRecord(record, KinesisRecordMetadata.of("orders", record),
                NO_CHECKPOINTS);
        assertThat(bean.calls).containsExactly("message Order[id=a-1, amount=3] orders 7 shardId-000000000000");
    }

    @Test
    void everyHeaderHasTheRecordsValue() throws Exception {
        Instant arrival = Instant.parse("2026-01-02T03:04:05.678Z");
        KinesisRecord record = KinesisRecord.builder().shardId("shardId-000000000004").sequenceNumber("4711")
                .subSequenceNumber(3).aggregated(true).partitionKey("customer-9").explicitHashKey("12345")
                .approximateArrivalTimestamp(arrival).data("x".getBytes(StandardCharsets.UTF_8)).build();
        recordListener(factory, "headers").onRecord(record, KinesisRecordMetadata.of("orders", record),
                NO_CHECKPOINTS);
        assertThat(bean.calls).containsExactly(
                "orders shardId-000000000004 4711 3 customer-9 12345 " + arrival + " 4711 orders");
    }

    @Test
    void optionalHeadersAreNullWhenTheRecordHasNoValue() throws Exception {
        KinesisRecord record = record("1", "x");
        recordListener(factory, "optionalHeaders").onRecord(record, KinesisRecordMetadata.of("s", record),
                NO_CHECKPOINTS);
        assertThat(bean.calls).containsExactly("hash null arrival null");
    }

    @Test
    void aMissingRequiredHeaderGoesToTheRecovererWithTheRecord() {
        KinesisRecord record = record("5", "x");
        KinesisRecordListener listener = recordListener(factory, "requiredHashKey");
        assertThatExceptionOfType(PayloadConversionException.class)
                .isThrownBy(() -> listener.onRecord(record, KinesisRecordMetadata.of("s", record), NO_CHECKPOINTS))
                .satisfies(ex -> assertThat(ex.getRecord()).isSameAs(record))
                .withMessageContaining("record 5").withMessageContaining(KinesisHeaders.EXPLICIT_HASH_KEY);
        assertThat(bean.calls).isEmpty();
    }

    @Test
    void malformedJsonBecomesAPayloadConversionExceptionNamingTheRecord() {
        KinesisRecordListener listener = recordListener(factory, "pojo");
        KinesisRecord record = record("9", "{not json");
        assertThatExceptionOfType(PayloadConversionException.class)
                .isThrownBy(() -> listener.onRecord(record, KinesisRecordMetadata.of("s", record), NO_CHECKPOINTS))
                .satisfies(ex -> assertThat(ex.getRecord()).isSameAs(record))
                .withMessageContaining("record 9").withMessageContaining("Order");
        assertThat(bean.calls).isEmpty();
    }

    @Test
    void validPayloadsPassAndInvalidOnesBecomeAPayloadConversionException() throws Exception {
        ListenerMethodAdapterFactory validating = new ListenerMethodAdapterFactory(withJson(), validator(),
                List.of());
        KinesisRecordListener listener = recordListener(validating, "validated");
        KinesisRecord valid = record("1", "{\"id\":\"a\",\"amount\":2}");
        KinesisRecord invalid = record("2", "{\"id\":\"\",\"amount\":-1}");
        listener.onRecord(valid, KinesisRecordMetadata.of("s", valid), NO_CHECKPOINTS);
        assertThatExceptionOfType(PayloadConversionException.class)
                .isThrownBy(() -> listener.onRecord(invalid, KinesisRecordMetadata.of("s", invalid), NO_CHECKPOINTS))
                .satisfies(ex -> assertThat(ex.getRecord()).isSameAs(invalid))
                .satisfies(ex -> assertThat(ex.getCause()).isInstanceOf(MethodArgumentNotValidException.class))
                .withMessageContaining("record 2").withMessageContaining("amount").withMessageContaining("id");
        assertThat(bean.calls).containsExactly("valid a");
    }

    @Test
    void withoutAValidatorValidIsIgnored() throws Exception {
        KinesisRecord invalid = record("2", "{\"id\":\"\",\"amount\":-1}");
        recordListener(factory, "validated").onRecord(invalid, KinesisRecordMetadata.of("s", invalid),
                NO_CHECKPOINTS);
        assertThat(bean.calls).containsExactly("valid ");
    }

    @Test
    void batchOfPojosWithRecordsAndMetadata() throws Exception {
        KinesisBatchListener listener = batchListener(factory, "batch");
        List<KinesisRecord> records = List.of(record("1", "{\"id\":\"a\",\"amount\":1}"),
                record("2", "{\"id\":\"b\",\"amount\":2}"));
        listener.onBatch(records, metadata(records), NO_CHECKPOINTS);
        assertThat(bean.calls).containsExactly("batch [a, b] 2 2");
    }

    @Test
    void batchOfMessagesWithListHeaders() throws Exception {
        KinesisBatchListener listener = batchListener(factory, "batchOfMessages");
        List<KinesisRecord> records = List.of(record("1", "{\"id\":\"a\",\"amount\":1}"),
                record("2", "{\"id\":\"b\",\"amount\":2}"), record("3", "{\"id\":\"c\",\"amount\":3}"));
        listener.onBatch(records, metadata(records), NO_CHECKPOINTS);
        assertThat(bean.calls).containsExactly("messages a@1 b@2 c@3 [1, 2, 3] shardId-000000000000 s");
    }

    @Test
    void anInvalidRecordOfABatchIsNamedByItsException() throws Exception {
        ListenerMethodAdapterFactory validating = new ListenerMethodAdapterFactory(withJson(), validator(),
                List.of());
        KinesisBatchListener listener = batchListener(validating, "validatedBatch");
        List<KinesisRecord> records = List.of(record("1", "{\"id\":\"a\",\"amount\":1}"),
                record("2", "{\"id\":\"b\",\"amount\":-2}"), record("3", "{\"id\":\"c\",\"amount\":3}"));
        assertThatExceptionOfType(PayloadConversionException.class)
                .isThrownBy(() -> listener.onBatch(records, metadata(records), NO_CHECKPOINTS))
                .satisfies(ex -> assertThat(ex.getRecord()).isSameAs(records.get(1)))
                .withMessageContaining("record 2");
        List<KinesisRecord> rest = List.of(records.get(0), records.get(2));
        listener.onBatch(rest, metadata(rest), NO_CHECKPOINTS);
        assertThat(bean.calls).containsExactly("valid batch [a, c]");
    }

    @Test
    void malformedJsonInABatchNamesTheRecord() {
        KinesisBatchListener listener = batchListener(factory, "batch");
        List<KinesisRecord> records = List.of(record("1", "{\"id\":\"a\",\"amount\":1}"), record("2", "{oops"));
        assertThatExceptionOfType(PayloadConversionException.class)
                .isThrownBy(() -> listener.onBatch(records, metadata(records), NO_CHECKPOINTS))
                .satisfies(ex -> assertThat(ex.getRecord()).isSameAs(records.get(1)));
        assertThat(bean.calls).isEmpty();
    }

    @Test
    void manualCheckpointer() throws Exception {
        KinesisRecordListener listener = (KinesisRecordListener) factory.create(bean, method("manual"),
                settings(false, true));
        KinesisRecord record = record("1", "x");
        listener.onRecord(record, KinesisRecordMetadata.of("s", record), NO_CHECKPOINTS);
        assertThat(bean.calls).containsExactly("manual shardId-000000000000");
    }

    @Test
    void theCheckpointerHeaderIsThereInManualModeOnly() throws Exception {
        KinesisRecord record = record("1", "x");
        recordListener(factory, "checkpointerHeader").onRecord(record, KinesisRecordMetadata.of("s", record),
                NO_CHECKPOINTS);
        assertThat(bean.calls).containsExactly("checkpointer header false");
    }

    @Test
    void customArgumentResolversAreAskedBeforeThePayload() throws Exception {
        ListenerMethodAdapterFactory withTenant = new ListenerMethodAdapterFactory(withJson(), null,
                List.of(new TenantResolver()));
        KinesisRecord record = KinesisRecord.builder().shardId("shardId-000000000000").sequenceNumber("1")
                .partitionKey("acme|42").data("{\"id\":\"a\",\"amount\":1}".getBytes(StandardCharsets.UTF_8)).build();
        recordListener(withTenant, "tenant").onRecord(record, KinesisRecordMetadata.of("s", record), NO_CHECKPOINTS);
        assertThat(bean.calls).containsExactly("tenant acme a");
    }

    @Test
    void aConverterInFrontTakesPrecedence() throws Exception {
        List<MessageConverter> converters = KinesisMessageConverters.raw();
        converters.add(0, new ShoutingStringConverter());
        converters.add(new JacksonJsonMessageConverter(new JsonMapper()));
        ListenerMethodAdapterFactory shouting = new ListenerMethodAdapterFactory(
                new CompositeMessageConverter(converters), null, List.of());
        KinesisRecord record = record("1", "hello");
        recordListener(shouting, "string").onRecord(record, KinesisRecordMetadata.of("s", record), NO_CHECKPOINTS);
        assertThat(bean.calls).containsExactly("string HELLO");
    }

    @Test
    void exceptionsOfTheMethodAreRethrownAsTheyAre() {
        KinesisRecordListener listener = recordListener(factory, "failing");
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
        assertInvalid("messageOfPojo", true, false, "a batch listener receives List<Message<T>>");
    }

    @Test
    void withoutJacksonAPojoParameterFailsAtStartup() {
        ListenerMethodAdapterFactory noJackson = new ListenerMethodAdapterFactory(
                new CompositeMessageConverter(KinesisMessageConverters.raw()), null, List.of());
        assertThatExceptionOfType(InvalidKinesisListenerMethodException.class)
                .isThrownBy(() -> noJackson.create(bean, method("pojo"), settings(false, false)))
                .withMessageContaining("Listeners.pojo(Order, KinesisRecordMetadata)")
                .withMessageContaining("add Jackson");
        assertThatExceptionOfType(InvalidKinesisListenerMethodException.class)
                .isThrownBy(() -> noJackson.create(bean, method("batchOfMessages"), settings(true, false)))
                .withMessageContaining("add Jackson");
    }

    private void assertInvalid(String name, boolean batch, boolean manual, String problem) {
        Method method = method(name);
        assertThatExceptionOfType(InvalidKinesisListenerMethodException.class)
                .isThrownBy(() -> factory.create(bean, method, settings(batch, manual)))
                .withMessageContaining(Listeners.class.getName() + "." + name + "(")
                .withMessageContaining(problem);
    }

    private KinesisRecordListener recordListener(ListenerMethodAdapterFactory adapters, String name) {
        return (KinesisRecordListener) adapters.create(bean, method(name), settings(false, false));
    }

    private KinesisBatchListener batchListener(ListenerMethodAdapterFactory adapters, String name) {
        return (KinesisBatchListener) adapters.create(bean, method(name), settings(true, false));
    }

    private static MessageConverter withJson() {
        List<MessageConverter> converters = KinesisMessageConverters.raw();
        converters.add(new JacksonJsonMessageConverter(new JsonMapper()));
        return new CompositeMessageConverter(converters);
    }

    private static LocalValidatorFactoryBean validator() {
        LocalValidatorFactoryBean validator = new LocalValidatorFactoryBean();
        validator.afterPropertiesSet();
        return validator;
    }

    private static KinesisListenerSettings settings(boolean batch, boolean manual) {
        return new KinesisListenerSettings("listener", "app", "s", batch,
                manual ? CheckpointMode.MANUAL : CheckpointMode.BATCH, Duration.ofSeconds(10), true, 1,
                new FixedBackOff(1, 1), ExhaustedAction.RECOVER, new LoggingRecordRecoverer());
    }

    private static Method method(String name) {
        return Arrays.stream(Listeners.class.getDeclaredMethods()).filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow();
    }

    private static KinesisRecord record(String sequenceNumber, String payload) {
        return KinesisRecord.builder().shardId("shardId-000000000000").sequenceNumber(sequenceNumber)
                .partitionKey("pk").data(payload.getBytes(StandardCharsets.UTF_8)).build();
    }

    private static List<KinesisRecordMetadata> metadata(List<KinesisRecord> records) {
        return records.stream().map(r -> KinesisRecordMetadata.of("s", r)).toList();
    }

    private static final Checkpointer NO_CHECKPOINTS = NoCheckpoints.forShard("shardId-000000000000");

    record Order(@NotBlank String id, @Min(0) int amount) {
    }

    /** A tenant parsed from the partition key ({@code tenant|rest}). */
    record Tenant(String name) {
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

    static final class ShoutingStringConverter extends org.springframework.messaging.converter.AbstractMessageConverter {

        @Override
        protected boolean supports(Class<?> clazz) {
            return clazz == String.class;
        }

        @Override
        protected Object convertFromInternal(Message<?> message, Class<?> targetClass,
                @Nullable Object conversionHint) {
            return new String((byte[]) message.getPayload(), StandardCharsets.UTF_8).toUpperCase();
        }
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

        void messageOfString(Message<String> message) {
            calls.add("message " + message.getPayload() + " " + message.getHeaders().get(KinesisHeaders.SEQUENCE_NUMBER));
        }

        void messageOfPojo(Message<Order> message) {
            calls.add("message " + message.getPayload() + " " + message.getHeaders().get(KinesisHeaders.STREAM) + " "
                    + message.getHeaders().get(KinesisHeaders.SEQUENCE_NUMBER) + " "
                    + message.getHeaders().get(KinesisHeaders.SHARD_ID));
        }

        void headers(@Header(KinesisHeaders.STREAM) String stream, @Header(KinesisHeaders.SHARD_ID) String shardId,
                @Header(KinesisHeaders.SEQUENCE_NUMBER) String sequenceNumber,
                @Header(KinesisHeaders.SUB_SEQUENCE_NUMBER) long subSequenceNumber,
                @Header(KinesisHeaders.PARTITION_KEY) String partitionKey,
                @Header(KinesisHeaders.EXPLICIT_HASH_KEY) String explicitHashKey,
                @Header(KinesisHeaders.ARRIVAL_TIME) Instant arrival,
                @Header(KinesisHeaders.RECORD) KinesisRecord record,
                @Header(KinesisHeaders.RECORD_METADATA) KinesisRecordMetadata metadata, @Payload String payload) {
            calls.add(stream + " " + shardId + " " + sequenceNumber + " " + subSequenceNumber + " " + partitionKey + " "
                    + explicitHashKey + " " + arrival + " " + record.sequenceNumber() + " " + metadata.streamName());
        }

        void optionalHeaders(String payload,
                @Header(name = KinesisHeaders.EXPLICIT_HASH_KEY, required = false) @Nullable String hashKey,
                @Header(name = KinesisHeaders.ARRIVAL_TIME, required = false) @Nullable Instant arrival) {
            calls.add("hash " + hashKey + " arrival " + arrival);
        }

        void requiredHashKey(String payload, @Header(KinesisHeaders.EXPLICIT_HASH_KEY) String hashKey) {
            calls.add("hash " + hashKey);
        }

        void validated(@Payload @Valid Order order) {
            calls.add("valid " + order.id());
        }

        void batch(List<Order> orders, List<KinesisRecord> records, List<KinesisRecordMetadata> metadata) {
            calls.add("batch " + orders.stream().map(Order::id).toList() + " " + records.size() + " "
                    + metadata.size());
        }

        void batchOfMessages(List<Message<Order>> messages,
                @Header(KinesisHeaders.SEQUENCE_NUMBER) List<String> sequenceNumbers,
                @Header(KinesisHeaders.SHARD_ID) String shardId, @Header(KinesisHeaders.STREAM) String stream) {
            StringBuilder call = new StringBuilder("messages");
            for (Message<Order> message : messages) {
                call.append(' ').append(message.getPayload().id()).append('@')
                        .append(message.getHeaders().get(KinesisHeaders.SEQUENCE_NUMBER));
            }
            calls.add(call + " " + sequenceNumbers + " " + shardId + " " + stream);
        }

        void validatedBatch(@Valid List<Order> orders) {
            calls.add("valid batch " + orders.stream().map(Order::id).toList());
        }

        void manual(String payload, Checkpointer checkpointer) {
            calls.add("manual " + checkpointer.shardId());
        }

        void checkpointerHeader(Message<String> message) {
            calls.add("checkpointer header " + message.getHeaders().containsKey(KinesisHeaders.CHECKPOINTER));
        }

        void tenant(Tenant tenant, Order order) {
            calls.add("tenant " + tenant.name() + " " + order.id());
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
