package dev.kclboot.benchmarks.scale;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * An SDK {@link ExecutionInterceptor} for a DynamoDB client (sync or async) that counts the requests it sends per kind
 * of call and the capacity units they consumed. It asks for {@code ReturnConsumedCapacity=TOTAL} on every item and
 * scan/query call that does not ask already, and reads the units from the responses (dynalite computes them from item
 * sizes as DynamoDB does; it ignores {@code ConsistentRead} on Scan and so reports half, which is corrected here).
 * Requests are counted when they are transmitted, so a retried call counts every attempt.
 * <p>
 * UpdateItem calls of kcl-core are told apart by their update expression ({@code UpdateItem:renew},
 * {@code :checkpoint}, {@code :take}, {@code :release}, {@code :handoff}); any other client's (the KCL's) stay
 * {@code UpdateItem}. Public so that the KCL baseline program can put it on the KCL's client.
 */
public final class DynamoDbCallCounter implements ExecutionInterceptor {

    private final ConcurrentMap<String, LongAdder> requests = new ConcurrentHashMap<>();

    private final ConcurrentMap<String, DoubleAdder> units = new ConcurrentHashMap<>();

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        if (request instanceof GetItemRequest get && get.returnConsumedCapacity() == null) {
            return get.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        }
        if (request instanceof PutItemRequest put && put.returnConsumedCapacity() == null) {
            return put.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        }
        if (request instanceof UpdateItemRequest update && update.returnConsumedCapacity() == null) {
            return update.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        }
        if (request instanceof DeleteItemRequest delete && delete.returnConsumedCapacity() == null) {
            return delete.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        }
        if (request instanceof ScanRequest scan && scan.returnConsumedCapacity() == null) {
            return scan.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        }
        if (request instanceof QueryRequest query && query.returnConsumedCapacity() == null) {
            return query.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        }
        return request;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        requests.computeIfAbsent(kindOf(context.request()), kind -> new LongAdder()).increment();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        double consumed = unitsOf(context.request(), context.response());
        if (consumed > 0) {
            units.computeIfAbsent(kindOf(context.request()), kind -> new DoubleAdder()).add(consumed);
        }
    }

    /** The counts so far. */
    public CallCounts snapshot() {
        Map<String, CallCounts.Tally> kinds = new TreeMap<>();
        requests.forEach((kind, count) -> kinds.put(kind, new CallCounts.Tally(count.sum(), 0)));
        units.forEach((kind, sum) -> kinds.merge(kind, new CallCounts.Tally(0, sum.sum()), CallCounts.Tally::plus));
        return new CallCounts(kinds);
    }

    /** {@link #snapshot()} as text lines ({@link CallCounts#lines()}), for the KCL baseline's process. */
    public java.util.List<String> snapshotLines() {
        return snapshot().lines();
    }

    /** The operation name of a request, with kcl-core's purpose for UpdateItem. */
    static String kindOf(SdkRequest request) {
        String operation = request.getClass().getSimpleName().replace("Request", "");
        if (request instanceof UpdateItemRequest update) {
            String purpose = updatePurpose(update.updateExpression());
            return purpose == null ? operation : operation + ":" + purpose;
        }
        return operation;
    }

    /** What a kcl-core update expression does, or null for one this benchmark does not know (another client's). */
    static String updatePurpose(String expression) {
        if (expression == null) {
            return null;
        }
        if (expression.contains("#checkpoint = :checkpoint")) {
            return "checkpoint";
        }
        if (expression.equals("ADD #counter :one")) {
            return "renew";
        }
        if (expression.contains("#co = :oldOwner")) {
            return "handoff";
        }
        if (expression.contains("REMOVE #owner") || expression.equals("REMOVE #co, #cot ADD #counter :one")) {
            return "release";
        }
        if (expression.startsWith("SET #counter = :next, #owner = :newOwner")
                || expression.equals("ADD #counter :one REMOVE #co, #cot")) {
            return "take";
        }
        if (expression.contains("#children")) {
            return "children";
        }
        return null;
    }

    private static double unitsOf(SdkRequest request, SdkResponse response) {
        if (response instanceof ScanResponse scan) {
            double reported = units(scan.consumedCapacity());
            boolean consistent = request instanceof ScanRequest r && Boolean.TRUE.equals(r.consistentRead());
            return consistent ? reported * 2 : reported;
        }
        if (response instanceof GetItemResponse get) {
            return units(get.consumedCapacity());
        }
        if (response instanceof PutItemResponse put) {
            return units(put.consumedCapacity());
        }
        if (response instanceof UpdateItemResponse update) {
            return units(update.consumedCapacity());
        }
        if (response instanceof DeleteItemResponse delete) {
            return units(delete.consumedCapacity());
        }
        if (response instanceof QueryResponse query) {
            return units(query.consumedCapacity());
        }
        return 0;
    }

    private static double units(ConsumedCapacity capacity) {
        return capacity == null || capacity.capacityUnits() == null ? 0 : capacity.capacityUnits();
    }
}
