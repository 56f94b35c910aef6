package dev.kclboot.benchmarks.chaos;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * An SDK {@link ExecutionInterceptor} that makes a share of the calls of a client fail the way AWS calls do fail, for
 * the Kinesis and the DynamoDB client of a chaos worker. For each call (an execution, not an attempt) a seeded random
 * decides, with probability {@code rate}, on one fault that fits the call:
 * <ul>
 * <li>{@link Fault#THROTTLE}: the service's ProvisionedThroughputExceededException, before the call is sent (thrown
 * where the SDK does not retry it, so the engine sees it as it would after the SDK's retries gave up);</li>
 * <li>{@link Fault#TIMEOUT_BEFORE}: an {@link SdkClientException} caused by a read timeout, nothing sent;</li>
 * <li>{@link Fault#TIMEOUT_AFTER}: the call is made and lands, then the caller gets the same read-timeout
 * exception instead of the response;</li>
 * <li>{@link Fault#ERROR_500_AFTER_WRITE} (DynamoDB UpdateItem, PutItem, DeleteItem only): the write lands, its
 * successful response is turned into an HTTP 500 InternalServerError, the SDK retries it, and a conditional write's
 * retry then fails its condition because its own first attempt changed the row.</li>
 * </ul>
 * Counts what it injected per service and fault; {@link #summary()} is printed when the worker exits.
 */
public final class FaultInjector implements ExecutionInterceptor {

    /** The kinds of fault. */
    public enum Fault { THROTTLE, TIMEOUT_BEFORE, TIMEOUT_AFTER, ERROR_500_AFTER_WRITE }

    private static final Set<String> WRITES = Set.of("UpdateItem", "PutItem", "DeleteItem");

    private static final List<Fault> READ_FAULTS = List.of(Fault.THROTTLE, Fault.TIMEOUT_BEFORE, Fault.TIMEOUT_AFTER);

    private static final List<Fault> WRITE_FAULTS = List.of(Fault.values());

    /** The fault decided for this execution, until it was injected. */
    private static final ExecutionAttribute<Fault> PLANNED = new ExecutionAttribute<>("chaos.plannedFault");

    /** Set between modifyHttpResponse and modifyHttpResponseContent of the attempt whose response becomes a 500. */
    private static final ExecutionAttribute<Boolean> REPLACE_BODY = new ExecutionAttribute<>("chaos.replaceBody");

    private static final byte[] INTERNAL_ERROR_BODY = ("{\"__type\":\"com.amazonaws.dynamodb.v20120810#"
            + "InternalServerError\",\"message\":\"Internal server error (injected after the write landed)\"}")
            .getBytes(StandardCharsets.UTF_8);

    private final double rate;

    private final Set<Fault> enabled;

    private final Random random;

    private final AtomicLong calls = new AtomicLong();

    private final Map<String, Map<Fault, AtomicLong>> injected = new TreeMap<>();

    /**
     * @param rate the probability that a call gets a fault, 0..1
     * @param seed the seed of the random that picks calls and faults
     */
    public FaultInjector(double rate, long seed) {
        this(rate, seed, EnumSet.allOf(Fault.class));
    }

    /**
     * @param rate the probability that a call gets a fault, 0..1
     * @param seed the seed of the random that picks calls and faults
     * @param enabled the faults to choose from (a call for which none fits is left alone)
     */
    public FaultInjector(double rate, long seed, Set<Fault> enabled) {
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException("rate must be between 0 and 1, was " + rate);
        }
        this.rate = rate;
        this.enabled = EnumSet.copyOf(enabled);
        this.random = new Random(seed);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        calls.incrementAndGet();
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        Fault fault = draw(isDynamoDbWrite(service, operation) ? WRITE_FAULTS : READ_FAULTS);
        if (fault == null) {
            return;
        }
        switch (fault) {
            case THROTTLE -> {
                count(service, fault);
                throw throttling(service, operation);
            }
            case TIMEOUT_BEFORE -> {
                count(service, fault);
                throw timeout(operation, "before it was sent");
            }
            default -> attributes.putAttribute(PLANNED, fault);
        }
    }

    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        SdkHttpResponse response = context.httpResponse();
        if (attributes.getAttribute(PLANNED) == Fault.ERROR_500_AFTER_WRITE && response.isSuccessful()) {
            // Once per execution: the SDK's retry gets the real answer of the (now changed) row.
            attributes.putAttribute(PLANNED, null);
            attributes.putAttribute(REPLACE_BODY, Boolean.TRUE);
            count(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME), Fault.ERROR_500_AFTER_WRITE);
            // The CRC32 header describes the real body; without it the SDK does not check the replaced one.
            return response.toBuilder().statusCode(500).statusText("Internal Server Error")
                    .removeHeader("x-amz-crc32").removeHeader("Content-Length").build();
        }
        return response;
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
            ExecutionAttributes attributes) {
        if (Boolean.TRUE.equals(attributes.getAttribute(REPLACE_BODY))) {
            attributes.putAttribute(REPLACE_BODY, null);
            // Read the real body to its end so the HTTP connection goes back to the pool.
            context.responseBody().ifPresent(FaultInjector::drain);
            return Optional.of(new ByteArrayInputStream(INTERNAL_ERROR_BODY));
        }
        return context.responseBody();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (attributes.getAttribute(PLANNED) == Fault.TIMEOUT_AFTER) {
            attributes.putAttribute(PLANNED, null);
            String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
            count(service, Fault.TIMEOUT_AFTER);
            throw timeout(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), "after it landed");
        }
    }

    /** How many calls this interceptor saw. */
    public long calls() {
        return calls.get();
    }

    /** What was injected: {@code service:fault} → count, in a stable order. */
    public synchronized Map<String, Long> counts() {
        Map<String, Long> result = new TreeMap<>();
        injected.forEach((service, faults) -> faults.forEach((fault, n) -> result.put(service + ":" + fault, n.get())));
        return result;
    }

    /** The total number of faults injected. */
    public synchronized long total() {
        return counts().values().stream().mapToLong(Long::longValue).sum();
    }

    /** {@code calls=N DynamoDb:THROTTLE=n ...}: one word per figure, for a log line and the console. */
    public List<String> summary() {
        List<String> words = new ArrayList<>();
        words.add("calls=" + calls());
        counts().forEach((name, n) -> words.add(name + "=" + n));
        return words;
    }

    @Override
    public String toString() {
        return summary().stream().collect(Collectors.joining(" "));
    }

    private synchronized @Nullable Fault draw(List<Fault> fitting) {
        if (rate == 0 || random.nextDouble() >= rate) {
            return null;
        }
        List<Fault> applicable = fitting.stream().filter(enabled::contains).toList();
        return applicable.isEmpty() ? null : applicable.get(random.nextInt(applicable.size()));
    }

    private synchronized void count(@Nullable String service, Fault fault) {
        injected.computeIfAbsent(String.valueOf(service), key -> new EnumMap<>(Fault.class))
                .computeIfAbsent(fault, key -> new AtomicLong()).incrementAndGet();
    }

    private static boolean isDynamoDbWrite(@Nullable String service, @Nullable String operation) {
        return "DynamoDb".equals(service) && operation != null && WRITES.contains(operation);
    }

    private static RuntimeException throttling(@Nullable String service, @Nullable String operation) {
        String message = "Rate exceeded for " + operation + " (injected)";
        if ("DynamoDb".equals(service)) {
            return software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException.builder()
                    .message(message).statusCode(400)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException")
                            .errorMessage(message).serviceName("DynamoDb").build())
                    .build();
        }
        return software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException.builder()
                .message(message).statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException")
                        .errorMessage(message).serviceName("Kinesis").build())
                .build();
    }

    private static SdkClientException timeout(@Nullable String operation, String when) {
        return SdkClientException.builder()
                .message("Unable to execute HTTP request: Read timed out (injected " + when + ", " + operation + ")")
                .cause(new SocketTimeoutException("Read timed out")).build();
    }

    private static void drain(InputStream body) {
        try (body) {
            body.transferTo(java.io.OutputStream.nullOutputStream());
        }
        catch (IOException ex) {
            // The connection is discarded instead of reused; nothing else depends on it.
        }
    }
}
