package dev.kclboot.core.fetch;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ChildShard;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorResponse;
import software.amazon.awssdk.services.kinesis.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * One shard behind the {@link KinesisClient} interface, for unit tests of the fetcher: records appended by the test,
 * shard iterators that encode a position (and expire when told: {@link #expireIssuedIterators()}), failures scripted
 * per call, and every request kept for assertions. GetRecords answers like Kinesis: up to {@code limit} records from
 * the iterator's position, a next iterator (null once a closed shard is read to its end, with the child shards),
 * {@code millisBehindLatest} &gt; 0 while records remain behind the returned ones.
 */
final class ScriptedKinesis implements KinesisClient {

    static final Instant FIRST_ARRIVAL = Instant.parse("2025-03-01T10:00:00Z");

    private final List<Record> records = new ArrayList<>();

    private final Deque<@Nullable RuntimeException> getRecordsScript = new LinkedList<>();

    private final Deque<@Nullable RuntimeException> getShardIteratorScript = new ArrayDeque<>();

    final List<GetShardIteratorRequest> iteratorRequests = new ArrayList<>();

    final List<GetRecordsRequest> recordsRequests = new ArrayList<>();

    private @Nullable List<ChildShard> children;

    private int generation;

    private int expiredBelow;

    private long callMillis;

    private int maxPerCall = Integer.MAX_VALUE;

    /** Sequence number of the n-th record (0-based): 56 digits, like Kinesis's. */
    static String seq(int n) {
        return "4959033827149025660855969253836157109592157598913" + String.format("%07d", 1000 + n * 3);
    }

    /** Appends records; the n-th arrived n seconds after {@link #FIRST_ARRIVAL}. */
    synchronized ScriptedKinesis append(int count) {
        for (int i = 0; i < count; i++) {
            int n = records.size();
            records.add(Record.builder().sequenceNumber(seq(n)).partitionKey("pk-" + n)
                    .data(SdkBytes.fromUtf8String("record-" + n)).approximateArrivalTimestamp(FIRST_ARRIVAL.plusSeconds(n))
                    .build());
        }
        return this;
    }

    /** Closes the shard: reading past its last record gives a null next iterator and these children. */
    synchronized ScriptedKinesis close(List<ChildShard> childShards) {
        this.children = childShards;
        return this;
    }

    /** Every iterator issued so far is expired from now on. */
    synchronized void expireIssuedIterators() {
        expiredBelow = generation;
    }

    /** The next GetRecords calls throw these, one each (null: answer normally). */
    synchronized void failGetRecords(@Nullable RuntimeException... failures) {
        getRecordsScript.addAll(java.util.Arrays.asList(failures));
    }

    /** The next GetShardIterator calls throw these, one each. */
    synchronized void failGetShardIterator(RuntimeException... failures) {
        getShardIteratorScript.addAll(List.of(failures));
    }

    /** How long each GetRecords call takes. */
    synchronized void callMillis(long millis) {
        this.callMillis = millis;
    }

    /** At most this many records per GetRecords response, whatever the limit (as Kinesis's size caps do). */
    synchronized void maxPerCall(int records) {
        this.maxPerCall = records;
    }

    synchronized List<String> iteratorsUsed() {
        return recordsRequests.stream().map(GetRecordsRequest::shardIterator).toList();
    }

    @Override
    public synchronized GetShardIteratorResponse getShardIterator(GetShardIteratorRequest request) {
        iteratorRequests.add(request);
        RuntimeException failure = getShardIteratorScript.poll();
        if (failure != null) {
            throw failure;
        }
        int position = switch (request.shardIteratorType()) {
            case TRIM_HORIZON -> 0;
            case LATEST -> records.size();
            case AT_SEQUENCE_NUMBER -> indexOf(request.startingSequenceNumber());
            case AFTER_SEQUENCE_NUMBER -> indexOf(request.startingSequenceNumber()) + 1;
            case AT_TIMESTAMP -> {
                int index = 0;
                while (index < records.size() && records.get(index).approximateArrivalTimestamp()
                        .isBefore(request.timestamp())) {
                    index++;
                }
                yield index;
            }
            default -> throw new IllegalArgumentException("unexpected type " + request.shardIteratorType());
        };
        return GetShardIteratorResponse.builder().shardIterator(iterator(position)).build();
    }

    @Override
    public GetRecordsResponse getRecords(GetRecordsRequest request) {
        long sleep;
        synchronized (this) {
            sleep = callMillis;
        }
        if (sleep > 0) {
            try {
                Thread.sleep(sleep);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }
        return answer(request);
    }

    private synchronized GetRecordsResponse answer(GetRecordsRequest request) {
        recordsRequests.add(request);
        RuntimeException failure = getRecordsScript.poll();
        if (failure != null) {
            throw failure;
        }
        String[] parts = request.shardIterator().split(":");
        if (Integer.parseInt(parts[1]) < expiredBelow) {
            throw ExpiredIteratorException.builder().statusCode(400).message("Iterator expired")
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("ExpiredIteratorException").build()).build();
        }
        int from = Integer.parseInt(parts[2]);
        int limit = Math.min(maxPerCall, request.limit() == null ? 10_000 : request.limit());
        int to = Math.min(records.size(), from + limit);
        boolean end = children != null && to == records.size();
        GetRecordsResponse.Builder response = GetRecordsResponse.builder().records(records.subList(from, to))
                .millisBehindLatest(end ? 0L : (records.size() - to) * 1000L)
                .nextShardIterator(end ? null : iterator(to));
        if (end) {
            response.childShards(children);
        }
        return response.build();
    }

    private int indexOf(String sequenceNumber) {
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).sequenceNumber().equals(sequenceNumber)) {
                return i;
            }
        }
        throw InvalidArgumentException.builder().statusCode(400).message("No record " + sequenceNumber)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("InvalidArgumentException").build()).build();
    }

    private String iterator(int position) {
        return "it:" + (generation++) + ":" + position;
    }

    @Override
    public String serviceName() {
        return "kinesis";
    }

    @Override
    public void close() {
    }
}
