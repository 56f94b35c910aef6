package dev.kclboot.core.checkpoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import dev.kclboot.core.lease.InMemoryLeaseTable;
import dev.kclboot.core.lease.Lease;
import dev.kclboot.core.lease.LeaseCoordinator;
import dev.kclboot.core.lease.LeaseEvents;
import dev.kclboot.core.metrics.EngineMetrics;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.core.stream.StreamRef;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link ShardCheckpointer} over a {@link LeaseCoordinator} and an {@link InMemoryLeaseTable} (the table's
 * conditional semantics, no DynamoDB). Covered: what {@code checkpoint()} writes (the last record handed over, SHARD_END
 * after {@code shardEnded()}, nothing when nothing is new); positions below the stored checkpoint, above the last
 * record handed over, sentinels and malformed values are {@link IllegalArgumentException}s that write nothing;
 * {@code checkpoint(String)} covers a KPL aggregate of the last batch up to its last user record and a record of an
 * earlier batch whole ({@link ExtendedSequenceNumber#WHOLE_RECORD}); {@code revoke()}, a lease taken by another
 * worker, a lease expired locally and another tenure's token are {@link ShutdownException}s; DynamoDB throttling is a
 * {@link ThrottlingException}, other failures a {@link DependencyException}, both leaving the checkpoint where it was;
 * {@code isLeaseHeld()}; the written/failed checkpoint meters.
 */
class ShardCheckpointerTest {

    private static final String SHARD = "shardId-000000000007";

    private static final StreamRef STREAM = StreamRef.of("orders", false);

    private static final LeaseEvents NO_EVENTS = new LeaseEvents() {
        @Override
        public void leaseTaken(String leaseKey) {
        }

        @Override
        public void leaseLost(String leaseKey) {
        }

        @Override
        public void handoffRequested(String leaseKey) {
        }
    };

    private final InMemoryLeaseTable table = new InMemoryLeaseTable();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private final EngineMetrics metrics = new EngineMetrics(registry, "app");

    private LeaseCoordinator coordinator = coordinator(Duration.ofMinutes(5));

    /** A realistic 56-digit sequence number; n orders them. */
    private static String seq(int n) {
        return "4959033827149025660855969253836157109592157598913" + String.format("%07d", n);
    }

    private static KinesisRecord plain(int n) {
        return KinesisRecord.builder().shardId(SHARD).sequenceNumber(seq(n)).partitionKey("pk").data(new byte[] { 1 })
                .build();
    }

    private static KinesisRecord userRecord(int n, long subSequenceNumber) {
        return KinesisRecord.builder().shardId(SHARD).sequenceNumber(seq(n)).subSequenceNumber(subSequenceNumber)
                .aggregated(true).partitionKey("pk-" + subSequenceNumber).data(new byte[] { 2 }).build();
    }

    private static List<KinesisRecord> aggregate(int n, int userRecords) {
        List<KinesisRecord> records = new ArrayList<>();
        for (int sub = 0; sub < userRecords; sub++) {
            records.add(userRecord(n, sub));
        }
        return records;
    }

    @SafeVarargs
    private static List<KinesisRecord> batch(List<KinesisRecord>... parts) {
        return Stream.of(parts).flatMap(List::stream).toList();
    }

    private LeaseCoordinator coordinator(Duration failover) {
        table.createLeaseIfNotExists(Lease.newLease(SHARD, ExtendedSequenceNumber.TRIM_HORIZON, Set.of(), null, null));
        return new LeaseCoordinator(table, "me", failover, 10, 1, NO_EVENTS, Runnable::run);
    }

    /** Takes the lease and returns a checkpointer of this tenure, starting from the stored checkpoint. */
    private ShardCheckpointer holdLease() {
        coordinator.takeLeases(table.listLeases(), lease -> false);
        UUID token = coordinator.heldLease(SHARD).orElseThrow().token();
        return new ShardCheckpointer(coordinator, STREAM, SHARD, token, table.row(SHARD).checkpoint(), metrics, () -> false);
    }

    private ExtendedSequenceNumber stored() {
        return table.row(SHARD).checkpoint();
    }

    private double count(String meter) {
        Counter counter = registry.find(meter).tag("shard", SHARD).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void checkpointWritesTheLastRecordHandedOver() {
        ShardCheckpointer checkpointer = holdLease();
        checkpointer.delivered(List.of(plain(1), plain(2), plain(3)));
        checkpointer.checkpoint();
        assertThat(stored()).isEqualTo(ExtendedSequenceNumber.of(seq(3)));
        assertThat(checkpointer.lastCheckpoint()).isEqualTo(ExtendedSequenceNumber.of(seq(3)));
        assertThat(count(EngineMetrics.CHECKPOINTS_WRITTEN)).isEqualTo(1);
        checkpointer.delivered(batch(List.of(plain(4)), aggregate(5, 3)));
        checkpointer.checkpoint();
        assertThat(stored()).as("up to the last user record").isEqualTo(ExtendedSequenceNumber.of(seq(5), 2));
    }

    @Test
    void checkpointWithNothingNewWritesNothing() {
        ShardCheckpointer checkpointer = holdLease();
        int writes = table.writes();
        checkpointer.checkpoint();
        assertThat(table.writes()).as("nothing handed over yet").isEqualTo(writes);
        checkpointer.delivered(List.of(plain(1)));
        checkpointer.checkpoint();
        checkpointer.checkpoint();
        checkpointer.checkpoint(seq(1));
        assertThat(table.writes()).isEqualTo(writes + 1);
        assertThat(count(EngineMetrics.CHECKPOINTS_WRITTEN)).isEqualTo(1);
    }

    @Test
    void checkpointAtARecordStoresThatRecord() {
        ShardCheckpointer checkpointer = holdLease();
        checkpointer.delivered(List.of(plain(1), plain(2), plain(3)));
        checkpointer.checkpoint(seq(2));
        assertThat(stored()).isEqualTo(ExtendedSequenceNumber.of(seq(2)));
        checkpointer.checkpoint(plain(3));
        assertThat(stored()).isEqualTo(ExtendedSequenceNumber.of(seq(3)));
    }

    @Test
    void aPositionBelowTheStoredCheckpointIsRefusedAndWritesNothing() {
        coordinator.takeLeases(table.listLeases(), lease -> false);
        UUID token = coordinator.heldLease(SHARD).orElseThrow().token();
        // Restarted from a checkpoint inside an aggregate: its remaining user records are delivered again.
        ShardCheckpointer checkpointer = new ShardCheckpointer(coordinator, STREAM, SHARD, token,
                ExtendedSequenceNumber.of(seq(5), 1), metrics, () -> false);
        checkpointer.delivered(batch(List.of(userRecord(5, 2)), List.of(plain(6), plain(7))));
        int writes = table.writes();
        assertThatThrownBy(() -> checkpointer.checkpoint(seq(4))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("below the stored checkpoint");
        assertThatThrownBy(() -> checkpointer.checkpoint(seq(5), 0)).isInstanceOf(IllegalArgumentException.class);
        checkpointer.checkpoint(seq(7));
        assertThatThrownBy(() -> checkpointer.checkpoint(plain(6))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("below the stored checkpoint");
        assertThat(table.writes()).isEqualTo(writes + 1);
        assertThat(stored()).isEqualTo(ExtendedSequenceNumber.of(seq(7)));
        assertThat(checkpointer.lastCheckpoint()).isEqualTo(ExtendedSequenceNumber.of(seq(7)));
    }

    @Test
    void aPositionAboveTheLastRecordHandedOverIsRefusedAndWritesNothing() {
        ShardCheckpointer checkpointer = holdLease();
        int writes = table.writes();
        assertThatThrownBy(() -> checkpointer.checkpoint(seq(1))).as("nothing handed over yet")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("above the last record handed over");
        checkpointer.delivered(batch(List.of(plain(1)), aggregate(2, 2)));
        assertThatThrownBy(() -> checkpointer.checkpoint(seq(3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("above the last record handed over");
        assertThatThrownBy(() -> checkpointer.checkpoint(seq(2), 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> checkpointer.checkpoint(plain(3))).isInstanceOf(IllegalArgumentException.class);
        assertThat(table.writes()).isEqualTo(writes);
        assertThat(stored()).isEqualTo(ExtendedSequenceNumber.TRIM_HORIZON);
    }

    @ParameterizedTest
    @ValueSource(strings = { "TRIM_HORIZON", "LATEST", "AT_TIMESTAMP", "SHARD_END" })
    void sentinelsAreRefused(String sentinel) {
        ShardCheckpointer checkpointer = holdLease();
        checkpointer.delivered(List.of(plain(1)));
        checkpointer.shardEnded();
        int writes = table.writes();
        assertThatThrownBy(() -> checkpointer.checkpoint(sentinel)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sentinel");
        assertThatThrownBy(() -> checkpointer.checkpoint(sentinel, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(table.writes()).isEqualTo(writes);
    }

    @Test
    void malformedPositionsAreRefused() {
        ShardCheckpointer checkpointer = holdLease();
        checkpointer.delivered(List.of(plain(1)));
        int writes = table.writes();
        assertThatThrownBy(() -> checkpointer.checkpoint("12ab")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> checkpointer.checkpoint("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> checkpointer.checkpoint((String) null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> checkpointer.checkpoint(seq(1), -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(table.writes()).isEqualTo(writes);
    }

    @Test
    void checkpointAfterShardEndedWritesShardEnd() {
        ShardCheckpointer checkpointer = holdLease();
        checkpointer.delivered(List.of(plain(1), plain(2)));
        checkpointer.checkpoint(seq(1));
        checkpointer.shardEnded();
        checkpointer.checkpoint();
        assertThat(stored()).isSameAs(ExtendedSequenceNumber.SHARD_END);
        assertThat(checkpointer.lastCheckpoint()).isSameAs(ExtendedSequenceNumber.SHARD_END);
        assertThatThrownBy(() -> checkpointer.checkpoint(seq(2))).as("nothing is above SHARD_END")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEmptyShardThatEndedIsCheckpointedAtShardEnd() {
        ShardCheckpointer checkpointer = holdLease();
        checkpointer.shardEnded();
        checkpointer.checkpoint();
        assertThat(stored()).isSameAs(ExtendedSequenceNumber.SHARD_END);
    }

    @Test
    void theSequenceNumberOfAnAggregateOfTheLastBatchCoversAllItsUserRecords() {
        ShardCheckpointer checkpointer = holdLease();
        checkpointer.delivered(batch(List.of(plain(1)), aggregate(2, 4), List.of(plain(3))));
        checkpointer.checkpoint(seq(2));
        assertThat(stored()).isEqualTo(ExtendedSequenceNumber.of(seq(2), 3));
        checkpointer.checkpoint(seq(3));
        assertThat(stored()).as("a plain record").isEqualTo(ExtendedSequenceNumber.of(seq(3), 0));
        checkpointer.delivered(batch(aggregate(4, 2), aggregate(5, 3)));
        checkpointer.checkpoint(seq(5));
        assertThat(stored()).as("the last record of the batch").isEqualTo(ExtendedSequenceNumber.of(seq(5), 2));
    }

    @Test
    void theSequenceNumberOfARecordOfAnEarlierBatchCoversTheWholeRecord() {
        ShardCheckpointer checkpointer = holdLease();
        checkpointer.delivered(batch(List.of(plain(1)), aggregate(2, 3)));
        checkpointer.delivered(List.of(plain(3), plain(4)));
        checkpointer.checkpoint(seq(2));
        ExtendedSequenceNumber stored = stored();
        assertThat(stored).isEqualTo(ExtendedSequenceNumber.of(seq(2), ExtendedSequenceNumber.WHOLE_RECORD));
        for (long sub = 0; sub < 3; sub++) {
            assertThat(ExtendedSequenceNumber.of(seq(2), sub)).as("user record %s is covered", sub)
                    .isLessThanOrEqualTo(stored);
        }
        assertThat(ExtendedSequenceNumber.of(seq(3))).as("the next record is not").isGreaterThan(stored);
        assertThatThrownBy(() -> checkpointer.checkpoint(seq(2), 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> checkpointer.checkpoint(seq(1))).as("also whole, and below")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPlainRecordOfAnEarlierBatchIsAlsoCheckpointedWhole() {
        ShardCheckpointer checkpointer = holdLease();
        checkpointer.delivered(List.of(plain(1), plain(2)));
        checkpointer.delivered(List.of(plain(3)));
        checkpointer.checkpoint(seq(1));
        assertThat(stored()).isEqualTo(ExtendedSequenceNumber.wholeRecord(seq(1)));
    }

    @Test
    void aUserRecordIsCheckpointedAtItsSubSequenceNumber() {
        ShardCheckpointer checkpointer = holdLease();
        checkpointer.delivered(aggregate(1, 4));
        checkpointer.checkpoint(userRecord(1, 1));
        assertThat(stored()).isEqualTo(ExtendedSequenceNumber.of(seq(1), 1));
        int writes = table.writes();
        checkpointer.checkpoint(seq(1), 1);
        assertThat(table.writes()).as("the stored checkpoint again").isEqualTo(writes);
        assertThatThrownBy(() -> checkpointer.checkpoint(seq(1), 0)).isInstanceOf(IllegalArgumentException.class);
        checkpointer.checkpoint(seq(1), 3);
        assertThat(stored()).isEqualTo(ExtendedSequenceNumber.of(seq(1), 3));
    }

    @Test
    void aRevokedCheckpointerRefusesEveryCheckpointWithShutdownException() {
        ShardCheckpointer checkpointer = holdLease();
        checkpointer.delivered(List.of(plain(1), plain(2)));
        checkpointer.checkpoint(seq(1));
        int writes = table.writes();
        checkpointer.revoke();
        assertThat(checkpointer.isLeaseHeld()).isFalse();
        assertThatThrownBy(checkpointer::checkpoint).isInstanceOf(ShutdownException.class);
        assertThatThrownBy(() -> checkpointer.checkpoint(seq(2))).isInstanceOf(ShutdownException.class);
        assertThatThrownBy(() -> checkpointer.checkpoint(seq(1))).as("the stored checkpoint again")
                .isInstanceOf(ShutdownException.class);
        assertThatThrownBy(() -> checkpointer.checkpoint(plain(2))).isInstanceOf(ShutdownException.class);
        checkpointer.shardEnded();
        assertThatThrownBy(checkpointer::checkpoint).isInstanceOf(ShutdownException.class);
        assertThat(table.writes()).isEqualTo(writes);
        assertThat(stored()).isEqualTo(ExtendedSequenceNumber.of(seq(1)));
    }

    @Test
    void aLeaseTakenByAnotherWorkerEndsInShutdownExceptionAndRefusesTheRest() {
        ShardCheckpointer checkpointer = holdLease();
        checkpointer.delivered(List.of(plain(1), plain(2)));
        checkpointer.checkpoint(seq(1));
        table.take(table.row(SHARD), "peer");
        int writes = table.writes();
        assertThatThrownBy(checkpointer::checkpoint).isInstanceOf(ShutdownException.class)
                .hasMessageContaining(SHARD);
        assertThat(checkpointer.isLeaseHeld()).isFalse();
        assertThat(coordinator.heldLease(SHARD)).as("dropped by the coordinator").isEmpty();
        assertThatThrownBy(() -> checkpointer.checkpoint(seq(2))).isInstanceOf(ShutdownException.class);
        assertThat(table.writes()).isEqualTo(writes);
        assertThat(table.row(SHARD).leaseOwner()).isEqualTo("peer");
        assertThat(stored()).isEqualTo(ExtendedSequenceNumber.of(seq(1)));
        assertThat(checkpointer.lastCheckpoint()).isEqualTo(ExtendedSequenceNumber.of(seq(1)));
        assertThat(count(EngineMetrics.CHECKPOINTS_WRITTEN)).isEqualTo(1);
        assertThat(count(EngineMetrics.CHECKPOINTS_FAILED)).isEqualTo(1);
    }

    @Test
    void isLeaseHeldTurnsFalseWhenTheCoordinatorDropsTheLease() {
        ShardCheckpointer checkpointer = holdLease();
        assertThat(checkpointer.isLeaseHeld()).isTrue();
        table.take(table.row(SHARD), "peer");
        coordinator.renewLeases();
        assertThat(checkpointer.isLeaseHeld()).isFalse();
        checkpointer.delivered(List.of(plain(1)));
        assertThatThrownBy(checkpointer::checkpoint).isInstanceOf(ShutdownException.class);
    }

    @Test
    void aCheckpointWithNothingToWriteStillTellsThatTheLeaseIsGone() {
        ShardCheckpointer checkpointer = holdLease();
        checkpointer.delivered(List.of(plain(1)));
        checkpointer.checkpoint();
        table.take(table.row(SHARD), "peer");
        coordinator.renewLeases();
        int writes = table.writes();
        assertThatThrownBy(checkpointer::checkpoint).as("nothing new").isInstanceOf(ShutdownException.class);
        assertThatThrownBy(() -> checkpointer.checkpoint(seq(1))).as("the stored checkpoint again")
                .isInstanceOf(ShutdownException.class);
        assertThat(table.writes()).isEqualTo(writes);
    }

    @Test
    void aLeaseThatExpiredLocallyRefusesCheckpointsWithoutWriting() {
        coordinator = coordinator(Duration.ofMillis(600));
        ShardCheckpointer checkpointer = holdLease();
        checkpointer.delivered(List.of(plain(1)));
        int writes = table.writes();
        await().atMost(Duration.ofSeconds(5)).until(() -> !checkpointer.isLeaseHeld());
        assertThatThrownBy(checkpointer::checkpoint).isInstanceOf(ShutdownException.class);
        assertThat(table.writes()).isEqualTo(writes);
        assertThat(table.row(SHARD).leaseOwner()).as("nobody took it; it is just not renewed").isEqualTo("me");
    }

    @Test
    void aCheckpointerOfAnEarlierTenureCannotWrite() {
        ShardCheckpointer first = holdLease();
        coordinator.release(SHARD, coordinator.heldLease(SHARD).orElseThrow().token());
        ShardCheckpointer second = holdLease();
        first.delivered(List.of(plain(1)));
        second.delivered(List.of(plain(1)));
        assertThat(first.isLeaseHeld()).isFalse();
        assertThat(second.isLeaseHeld()).isTrue();
        assertThatThrownBy(first::checkpoint).isInstanceOf(ShutdownException.class);
        second.checkpoint();
        assertThat(stored()).isEqualTo(ExtendedSequenceNumber.of(seq(1)));
    }

    @Test
    void aMultiStreamCheckpointerWritesTheLeaseOfItsStream() {
        StreamRef stream = StreamRef.of("arn:aws:kinesis:us-east-1:123456789012:stream/orders", true);
        String leaseKey = stream.leaseKey(SHARD);
        table.createLeaseIfNotExists(Lease.newLease(leaseKey, ExtendedSequenceNumber.LATEST, Set.of(), null, null));
        coordinator.takeLeases(table.listLeases(), lease -> !lease.leaseKey().equals(leaseKey));
        UUID token = coordinator.heldLease(leaseKey).orElseThrow().token();
        ShardCheckpointer checkpointer = new ShardCheckpointer(coordinator, stream, SHARD, token,
                ExtendedSequenceNumber.LATEST, metrics, () -> false);
        checkpointer.delivered(List.of(plain(1)));
        checkpointer.checkpoint();
        assertThat(table.row(leaseKey).checkpoint()).isEqualTo(ExtendedSequenceNumber.of(seq(1)));
        assertThat(table.row(SHARD).checkpoint()).isEqualTo(ExtendedSequenceNumber.TRIM_HORIZON);
        assertThat(checkpointer.shardId()).isEqualTo(SHARD);
    }

    static Stream<Arguments> throttles() {
        return Stream.of(
                Arguments.of("ProvisionedThroughputExceededException", (Supplier<RuntimeException>) () ->
                        ProvisionedThroughputExceededException.builder().statusCode(400).message("Rate exceeded")
                                .awsErrorDetails(details("ProvisionedThroughputExceededException")).build()),
                Arguments.of("RequestLimitExceeded", (Supplier<RuntimeException>) () ->
                        RequestLimitExceededException.builder().statusCode(400).message("Throughput exceeds the limit")
                                .awsErrorDetails(details("RequestLimitExceeded")).build()),
                Arguments.of("ThrottlingException", (Supplier<RuntimeException>) () ->
                        DynamoDbException.builder().statusCode(400).message("Rate of requests exceeds the allowed")
                                .awsErrorDetails(details("ThrottlingException")).build()),
                Arguments.of("HTTP 429", (Supplier<RuntimeException>) () ->
                        DynamoDbException.builder().statusCode(429).message("Too many requests")
                                .awsErrorDetails(details("TooManyRequests")).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("throttles")
    void throttlingIsAThrottlingExceptionAndKeepsTheCheckpoint(String name, Supplier<RuntimeException> failure) {
        ShardCheckpointer checkpointer = holdLease();
        checkpointer.delivered(List.of(plain(1), plain(2)));
        checkpointer.checkpoint(seq(1));
        RuntimeException throttle = failure.get();
        table.failNextWrites(throttle);
        assertThatThrownBy(checkpointer::checkpoint).isInstanceOf(ThrottlingException.class).hasCause(throttle);
        assertThat(checkpointer.lastCheckpoint()).isEqualTo(ExtendedSequenceNumber.of(seq(1)));
        assertThat(checkpointer.isLeaseHeld()).isTrue();
        assertThat(count(EngineMetrics.CHECKPOINTS_FAILED)).isEqualTo(1);
        checkpointer.checkpoint();
        assertThat(stored()).as("a retry succeeds").isEqualTo(ExtendedSequenceNumber.of(seq(2)));
    }

    static Stream<Arguments> otherFailures() {
        return Stream.of(
                Arguments.of("HTTP 500", (Supplier<RuntimeException>) () -> DynamoDbException.builder().statusCode(500)
                        .message("Internal server error").awsErrorDetails(details("InternalServerError")).build()),
                Arguments.of("access denied", (Supplier<RuntimeException>) () -> DynamoDbException.builder()
                        .statusCode(400).message("not authorized to perform dynamodb:UpdateItem")
                        .awsErrorDetails(details("AccessDeniedException")).build()),
                Arguments.of("table gone", (Supplier<RuntimeException>) () -> ResourceNotFoundException.builder()
                        .statusCode(400).message("Requested resource not found")
                        .awsErrorDetails(details("ResourceNotFoundException")).build()),
                Arguments.of("unreachable", (Supplier<RuntimeException>) () ->
                        SdkClientException.create("Unable to execute HTTP request: Connect to dynamodb failed")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherFailures")
    void otherFailuresAreDependencyExceptionsAndKeepTheCheckpoint(String name, Supplier<RuntimeException> failure) {
        ShardCheckpointer checkpointer = holdLease();
        checkpointer.delivered(batch(aggregate(1, 2)));
        RuntimeException cause = failure.get();
        table.failNextWrites(cause);
        assertThatThrownBy(() -> checkpointer.checkpoint(seq(1))).isInstanceOf(DependencyException.class)
                .isNotInstanceOf(ThrottlingException.class).hasCause(cause);
        assertThat(checkpointer.lastCheckpoint()).isEqualTo(ExtendedSequenceNumber.TRIM_HORIZON);
        assertThat(stored()).isEqualTo(ExtendedSequenceNumber.TRIM_HORIZON);
        assertThat(checkpointer.isLeaseHeld()).isTrue();
        assertThat(count(EngineMetrics.CHECKPOINTS_FAILED)).isEqualTo(1);
        assertThatCode(() -> checkpointer.checkpoint(seq(1))).as("a retry succeeds").doesNotThrowAnyException();
        assertThat(stored()).isEqualTo(ExtendedSequenceNumber.of(seq(1), 1));
    }

    private static AwsErrorDetails details(String errorCode) {
        return AwsErrorDetails.builder().errorCode(errorCode).serviceName("DynamoDb").build();
    }
}
