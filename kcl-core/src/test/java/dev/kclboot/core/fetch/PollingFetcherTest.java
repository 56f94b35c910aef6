package dev.kclboot.core.fetch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import dev.kclboot.core.metrics.EngineMetrics;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.core.stream.InitialPosition;
import dev.kclboot.core.stream.StreamRef;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kinesis.model.AccessDeniedException;
import software.amazon.awssdk.services.kinesis.model.ChildShard;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.InternalFailureException;
import software.amazon.awssdk.services.kinesis.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.KmsAccessDeniedException;
import software.amazon.awssdk.services.kinesis.model.KmsThrottlingException;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import static dev.kclboot.core.fetch.ScriptedKinesis.seq;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PollingFetcher} against {@link ScriptedKinesis}, a one-shard fake behind the SDK's {@code KinesisClient}
 * interface. Covered: the start positions (a checkpoint is read AT_SEQUENCE_NUMBER, TRIM_HORIZON, LATEST, AT_TIMESTAMP
 * with the initial position's timestamp; stream name or ARN; the record limit); what a read returns
 * ({@link FetchOutcome.Records}, {@link FetchOutcome.RetryLater} with growing delays for throttling, 5xx and I/O,
 * {@link FetchOutcome.NotFound} and {@link FetchOutcome.Failed} naming the IAM action); expired iterators replaced
 * AFTER_SEQUENCE_NUMBER of the last record read or at the start position, with nothing skipped or read twice; a new
 * iterator after three consecutive failures; the pacing ({@code delayBeforeNextRead()}: zero before the first read,
 * within 200 ms while catching up, the idle time minus the last call when caught up, never negative) and that
 * {@code read()} itself never waits; shard end with its child shards; the meters.
 */
class PollingFetcherTest {

    private static final String SHARD = "shardId-000000000003";

    private static final StreamRef STREAM = StreamRef.of("orders", false);

    private static final RecordConverter CONVERTER = (shardId, record) -> List.of(KinesisRecord.builder()
            .shardId(shardId).sequenceNumber(record.sequenceNumber()).partitionKey(record.partitionKey())
            .data(record.data().asByteArray()).approximateArrivalTimestamp(record.approximateArrivalTimestamp())
            .build());

    private final ScriptedKinesis kinesis = new ScriptedKinesis();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private PollingFetcher fetcher(StreamRef stream, int maxRecords, Duration idleTime) {
        return new PollingFetcher(KinesisReads.blocking(kinesis, Runnable::run), stream, SHARD, maxRecords, idleTime, CONVERTER,
                new EngineMetrics(registry, "app"));
    }

    private PollingFetcher fetcher(int maxRecords, Duration idleTime) {
        return fetcher(STREAM, maxRecords, idleTime);
    }

    private PollingFetcher started(int maxRecords, Duration idleTime, ExtendedSequenceNumber checkpoint,
            InitialPosition initialPosition) {
        PollingFetcher fetcher = fetcher(maxRecords, idleTime);
        fetcher.start(checkpoint, initialPosition);
        return fetcher;
    }

    private PollingFetcher fromTrimHorizon(int maxRecords) {
        return started(maxRecords, Duration.ofSeconds(1), ExtendedSequenceNumber.TRIM_HORIZON,
                InitialPosition.trimHorizon());
    }

    private static FetchResult records(FetchOutcome outcome) {
        assertThat(outcome).isInstanceOf(FetchOutcome.Records.class);
        return ((FetchOutcome.Records) outcome).result();
    }

    private static FetchOutcome.RetryLater retryLater(FetchOutcome outcome) {
        assertThat(outcome).isInstanceOf(FetchOutcome.RetryLater.class);
        return (FetchOutcome.RetryLater) outcome;
    }

    private static List<String> sequenceNumbers(FetchResult result) {
        return result.records().stream().map(KinesisRecord::sequenceNumber).toList();
    }

    private static List<String> sequenceNumbers(int from, int to) {
        return IntStream.range(from, to).mapToObj(ScriptedKinesis::seq).toList();
    }

    private GetShardIteratorRequest iteratorRequest(int index) {
        return kinesis.iteratorRequests.get(index);
    }

    private double count(String meter) {
        Counter counter = registry.find(meter).tag("shard", SHARD).counter();
        return counter == null ? 0 : counter.count();
    }

    /** A service error as the SDK unmarshals it: status code and error code set. */
    private static RuntimeException serviceError(AwsServiceException.Builder builder, String code, int status) {
        return builder.statusCode(status).message(code + " (scripted)")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code + " (scripted)")
                        .serviceName("Kinesis").build())
                .build();
    }

    private static RuntimeException throttled() {
        return serviceError(ProvisionedThroughputExceededException.builder(), "ProvisionedThroughputExceededException",
                400);
    }

    // --- start positions ---

    @Test
    void readsFromTrimHorizonAndConvertsTheRecords() {
        kinesis.append(5);
        PollingFetcher fetcher = fromTrimHorizon(10);
        FetchResult result = records(fetcher.read().join());
        assertThat(sequenceNumbers(result)).containsExactlyElementsOf(sequenceNumbers(0, 5));
        KinesisRecord first = result.records().get(0);
        assertThat(first.shardId()).isEqualTo(SHARD);
        assertThat(first.partitionKey()).isEqualTo("pk-0");
        assertThat(new String(first.dataBytes(), StandardCharsets.UTF_8)).isEqualTo("record-0");
        assertThat(result.millisBehindLatest()).isZero();
        assertThat(result.shardEnd()).isFalse();
        assertThat(result.childShards()).isEmpty();
        assertThat(result.full()).isFalse();
        assertThat(kinesis.iteratorRequests).singleElement().satisfies(request -> {
            assertThat(request.shardIteratorType()).isEqualTo(ShardIteratorType.TRIM_HORIZON);
            assertThat(request.streamName()).isEqualTo("orders");
            assertThat(request.streamARN()).isNull();
            assertThat(request.shardId()).isEqualTo(SHARD);
        });
        assertThat(kinesis.recordsRequests).singleElement()
                .satisfies(request -> assertThat(request.limit()).isEqualTo(10));
    }

    @Test
    void aCheckpointIsReadAtItsSequenceNumber() {
        kinesis.append(6);
        PollingFetcher fetcher = started(10, Duration.ofSeconds(1), ExtendedSequenceNumber.of(seq(3), 2),
                InitialPosition.latest());
        FetchResult result = records(fetcher.read().join());
        assertThat(iteratorRequest(0).shardIteratorType()).isEqualTo(ShardIteratorType.AT_SEQUENCE_NUMBER);
        assertThat(iteratorRequest(0).startingSequenceNumber()).isEqualTo(seq(3));
        assertThat(sequenceNumbers(result)).as("AT, so the rest of an aggregate is not lost")
                .containsExactlyElementsOf(sequenceNumbers(3, 6));
    }

    @Test
    void aTrimHorizonCheckpointWinsOverALatestInitialPosition() {
        kinesis.append(2);
        PollingFetcher fetcher = started(10, Duration.ofSeconds(1), ExtendedSequenceNumber.TRIM_HORIZON,
                InitialPosition.latest());
        assertThat(sequenceNumbers(records(fetcher.read().join()))).containsExactlyElementsOf(sequenceNumbers(0, 2));
        assertThat(iteratorRequest(0).shardIteratorType()).isEqualTo(ShardIteratorType.TRIM_HORIZON);
    }

    @Test
    void latestReadsOnlyRecordsWrittenAfterTheIterator() {
        kinesis.append(3);
        PollingFetcher fetcher = started(10, Duration.ofSeconds(1), ExtendedSequenceNumber.LATEST,
                InitialPosition.latest());
        assertThat(records(fetcher.read().join()).records()).isEmpty();
        kinesis.append(2);
        assertThat(sequenceNumbers(records(fetcher.read().join()))).containsExactlyElementsOf(sequenceNumbers(3, 5));
        assertThat(kinesis.iteratorRequests).singleElement()
                .satisfies(request -> assertThat(request.shardIteratorType()).isEqualTo(ShardIteratorType.LATEST));
    }

    @Test
    void atTimestampUsesTheInitialPositionsTimestamp() {
        kinesis.append(5);
        Instant from = ScriptedKinesis.FIRST_ARRIVAL.plusSeconds(2);
        PollingFetcher fetcher = started(10, Duration.ofSeconds(1), ExtendedSequenceNumber.AT_TIMESTAMP,
                InitialPosition.atTimestamp(from));
        assertThat(sequenceNumbers(records(fetcher.read().join()))).containsExactlyElementsOf(sequenceNumbers(2, 5));
        assertThat(iteratorRequest(0).shardIteratorType()).isEqualTo(ShardIteratorType.AT_TIMESTAMP);
        assertThat(iteratorRequest(0).timestamp()).isEqualTo(from);
    }

    @Test
    void aStreamArnIsSentAsArn() {
        String arn = "arn:aws:kinesis:eu-west-1:123456789012:stream/orders";
        kinesis.append(1);
        PollingFetcher fetcher = fetcher(StreamRef.of(arn, false), 10, Duration.ofSeconds(1));
        fetcher.start(ExtendedSequenceNumber.TRIM_HORIZON, InitialPosition.trimHorizon());
        records(fetcher.read().join());
        assertThat(iteratorRequest(0).streamARN()).isEqualTo(arn);
        assertThat(iteratorRequest(0).streamName()).isNull();
    }

    @Test
    void startingAgainRepositionsAtTheNewCheckpoint() {
        kinesis.append(6);
        PollingFetcher fetcher = fromTrimHorizon(10);
        records(fetcher.read().join());
        fetcher.start(ExtendedSequenceNumber.of(seq(2)), InitialPosition.trimHorizon());
        assertThat(sequenceNumbers(records(fetcher.read().join()))).containsExactlyElementsOf(sequenceNumbers(2, 6));
        assertThat(iteratorRequest(1).shardIteratorType()).isEqualTo(ShardIteratorType.AT_SEQUENCE_NUMBER);
        assertThat(iteratorRequest(1).startingSequenceNumber()).isEqualTo(seq(2));
    }

    // --- following the shard, expired iterators ---

    @Test
    void followsTheShardWithTheNextIterators() {
        kinesis.append(7);
        PollingFetcher fetcher = fromTrimHorizon(3);
        List<String> read = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            read.addAll(sequenceNumbers(records(fetcher.read().join())));
        }
        assertThat(read).containsExactlyElementsOf(sequenceNumbers(0, 7));
        assertThat(kinesis.iteratorRequests).hasSize(1);
        assertThat(count(EngineMetrics.GET_RECORDS_CALLS)).isEqualTo(4);
    }

    @Test
    void expiredIteratorsContinueAfterTheLastRecordReadSkippingAndRepeatingNothing() {
        kinesis.append(10);
        PollingFetcher fetcher = fromTrimHorizon(3);
        List<String> read = new ArrayList<>();
        List<String> lastReadBeforeExpiry = new ArrayList<>();
        for (int round = 0; round < 12; round++) {
            read.addAll(sequenceNumbers(records(fetcher.read().join())));
            if (round % 2 == 0) {
                kinesis.expireIssuedIterators();
                lastReadBeforeExpiry.add(read.get(read.size() - 1));
            }
            if (round == 4) {
                kinesis.append(10);
            }
        }
        assertThat(read).containsExactlyElementsOf(sequenceNumbers(0, 20));
        assertThat(kinesis.iteratorRequests).hasSize(1 + lastReadBeforeExpiry.size());
        assertThat(iteratorRequest(0).shardIteratorType()).isEqualTo(ShardIteratorType.TRIM_HORIZON);
        for (int i = 0; i < lastReadBeforeExpiry.size(); i++) {
            GetShardIteratorRequest request = iteratorRequest(i + 1);
            assertThat(request.shardIteratorType()).isEqualTo(ShardIteratorType.AFTER_SEQUENCE_NUMBER);
            assertThat(request.startingSequenceNumber()).isEqualTo(lastReadBeforeExpiry.get(i));
        }
        assertThat(count(EngineMetrics.EXPIRED_ITERATORS)).isEqualTo(lastReadBeforeExpiry.size());
    }

    static Stream<Arguments> startPositions() {
        return Stream.of(
                Arguments.of(ExtendedSequenceNumber.TRIM_HORIZON, InitialPosition.trimHorizon(),
                        ShardIteratorType.TRIM_HORIZON, 0),
                Arguments.of(ExtendedSequenceNumber.of(seq(2)), InitialPosition.trimHorizon(),
                        ShardIteratorType.AT_SEQUENCE_NUMBER, 2),
                Arguments.of(ExtendedSequenceNumber.AT_TIMESTAMP,
                        InitialPosition.atTimestamp(ScriptedKinesis.FIRST_ARRIVAL.plusSeconds(3)),
                        ShardIteratorType.AT_TIMESTAMP, 3));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("startPositions")
    void anIteratorThatExpiresBeforeAnyRecordWasReadIsReplacedAtTheStartPosition(ExtendedSequenceNumber checkpoint,
            InitialPosition initialPosition, ShardIteratorType type, int firstRecord) {
        kinesis.append(6);
        PollingFetcher fetcher = started(10, Duration.ofSeconds(1), checkpoint, initialPosition);
        kinesis.failGetRecords(serviceError(ExpiredIteratorException.builder(), "ExpiredIteratorException", 400));
        assertThat(sequenceNumbers(records(fetcher.read().join()))).containsExactlyElementsOf(sequenceNumbers(firstRecord, 6));
        assertThat(kinesis.iteratorRequests).hasSize(2).allSatisfy(request -> {
            assertThat(request.shardIteratorType()).isEqualTo(type);
            assertThat(request.startingSequenceNumber()).isEqualTo(checkpoint.isSentinel() ? null : seq(2));
            assertThat(request.timestamp()).isEqualTo(initialPosition.timestamp());
        });
    }

    @Test
    void anEmptyShardWhoseIteratorExpiredIsReadAgainFromTrimHorizon() {
        PollingFetcher fetcher = fromTrimHorizon(10);
        assertThat(records(fetcher.read().join()).records()).isEmpty();
        kinesis.expireIssuedIterators();
        kinesis.append(3);
        assertThat(sequenceNumbers(records(fetcher.read().join()))).containsExactlyElementsOf(sequenceNumbers(0, 3));
        assertThat(kinesis.iteratorRequests).extracting(GetShardIteratorRequest::shardIteratorType)
                .containsExactly(ShardIteratorType.TRIM_HORIZON, ShardIteratorType.TRIM_HORIZON);
    }

    @Test
    void aLatestIteratorThatExpiresBeforeAnyRecordIsReplacedAtLatest() {
        PollingFetcher fetcher = started(10, Duration.ofSeconds(1), ExtendedSequenceNumber.LATEST,
                InitialPosition.latest());
        records(fetcher.read().join());
        kinesis.expireIssuedIterators();
        records(fetcher.read().join());
        assertThat(kinesis.iteratorRequests).extracting(GetShardIteratorRequest::shardIteratorType)
                .containsExactly(ShardIteratorType.LATEST, ShardIteratorType.LATEST);
    }

    @Test
    void iteratorsExpiringThreeTimesInOneReadAreRetriedLater() {
        kinesis.append(4);
        PollingFetcher fetcher = fromTrimHorizon(2);
        records(fetcher.read().join());
        RuntimeException expired = serviceError(ExpiredIteratorException.builder(), "ExpiredIteratorException", 400);
        kinesis.failGetRecords(expired, expired, expired);
        FetchOutcome.RetryLater retry = retryLater(fetcher.read().join());
        assertThat(retry.cause()).isSameAs(expired);
        assertThat(retry.delay()).isPositive();
        assertThat(sequenceNumbers(records(fetcher.read().join()))).containsExactlyElementsOf(sequenceNumbers(2, 4));
        assertThat(kinesis.iteratorRequests).hasSize(4);
        assertThat(kinesis.iteratorRequests.subList(1, 4)).allSatisfy(request -> {
            assertThat(request.shardIteratorType()).isEqualTo(ShardIteratorType.AFTER_SEQUENCE_NUMBER);
            assertThat(request.startingSequenceNumber()).isEqualTo(seq(1));
        });
    }

    // --- failures ---

    static Stream<Arguments> retryable() {
        return Stream.of(
                Arguments.of("ProvisionedThroughputExceeded", (Supplier<RuntimeException>) PollingFetcherTest::throttled),
                Arguments.of("LimitExceeded", (Supplier<RuntimeException>) () ->
                        serviceError(LimitExceededException.builder(), "LimitExceededException", 400)),
                Arguments.of("KMSThrottling", (Supplier<RuntimeException>) () ->
                        serviceError(KmsThrottlingException.builder(), "KMSThrottlingException", 400)),
                Arguments.of("HTTP 500", (Supplier<RuntimeException>) () ->
                        serviceError(InternalFailureException.builder(), "InternalFailure", 500)),
                Arguments.of("HTTP 503", (Supplier<RuntimeException>) () ->
                        serviceError(KinesisException.builder(), "ServiceUnavailable", 503)),
                Arguments.of("I/O", (Supplier<RuntimeException>) () -> SdkClientException.create(
                        "Unable to execute HTTP request: Read timed out", new IOException("Read timed out"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("retryable")
    void throttlingServerErrorsAndIoAreRetriedLaterWithGrowingDelays(String name, Supplier<RuntimeException> failure) {
        kinesis.append(3);
        PollingFetcher fetcher = fromTrimHorizon(1);
        records(fetcher.read().join());
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RuntimeException cause = failure.get();
            kinesis.failGetRecords(cause);
            FetchOutcome.RetryLater retry = retryLater(fetcher.read().join());
            assertThat(retry.cause()).isSameAs(cause);
            delays.add(retry.delay());
        }
        assertThat(delays.get(0)).isPositive();
        for (int i = 1; i < delays.size(); i++) {
            assertThat(delays.get(i)).isGreaterThanOrEqualTo(delays.get(i - 1));
        }
        assertThat(delays.get(4)).isGreaterThan(delays.get(0));
        assertThat(sequenceNumbers(records(fetcher.read().join()))).as("nothing lost meanwhile").containsExactly(seq(1));
        kinesis.failGetRecords(failure.get());
        assertThat(retryLater(fetcher.read().join()).delay()).as("a success starts the backoff over")
                .isLessThan(delays.get(4));
    }

    @Test
    void throttlesAreCounted() {
        kinesis.append(1);
        PollingFetcher fetcher = fromTrimHorizon(10);
        kinesis.failGetRecords(throttled(), throttled());
        retryLater(fetcher.read().join());
        retryLater(fetcher.read().join());
        records(fetcher.read().join());
        assertThat(count(EngineMetrics.THROTTLES)).isEqualTo(2);
    }

    @Test
    void aThrottledGetShardIteratorIsRetriedLater() {
        kinesis.append(2);
        PollingFetcher fetcher = fromTrimHorizon(10);
        RuntimeException throttle = throttled();
        kinesis.failGetShardIterator(throttle);
        assertThat(retryLater(fetcher.read().join()).cause()).isSameAs(throttle);
        assertThat(kinesis.recordsRequests).isEmpty();
        assertThat(sequenceNumbers(records(fetcher.read().join()))).containsExactlyElementsOf(sequenceNumbers(0, 2));
    }

    @Test
    void readNeverWaitsForTheDelaysItAsksFor() {
        kinesis.append(2);
        PollingFetcher fetcher = started(10, Duration.ofSeconds(10), ExtendedSequenceNumber.TRIM_HORIZON,
                InitialPosition.trimHorizon());
        records(fetcher.read().join());
        Duration pacing = fetcher.delayBeforeNextRead();
        long start = System.nanoTime();
        records(fetcher.read().join());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(pacing);
        Duration asked = Duration.ZERO;
        start = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            kinesis.failGetRecords(throttled());
            asked = asked.plus(retryLater(fetcher.read().join()).delay());
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(asked);
    }

    @Test
    void aShardThatIsNotFoundIsReportedWithTheGetShardIteratorAction() {
        PollingFetcher fetcher = fromTrimHorizon(10);
        RuntimeException notFound = serviceError(ResourceNotFoundException.builder(), "ResourceNotFoundException", 400);
        kinesis.failGetShardIterator(notFound);
        FetchOutcome outcome = fetcher.read().join();
        assertThat(outcome).isEqualTo(new FetchOutcome.NotFound("kinesis:GetShardIterator", notFound));
    }

    @Test
    void aShardThatIsNotFoundIsReportedWithTheGetRecordsAction() {
        kinesis.append(1);
        PollingFetcher fetcher = fromTrimHorizon(10);
        RuntimeException notFound = serviceError(ResourceNotFoundException.builder(), "ResourceNotFoundException", 400);
        kinesis.failGetRecords(notFound);
        assertThat(fetcher.read().join()).isEqualTo(new FetchOutcome.NotFound("kinesis:GetRecords", notFound));
    }

    static Stream<Arguments> definite() {
        return Stream.of(
                Arguments.of("AccessDenied", (Supplier<RuntimeException>) () ->
                        serviceError(AccessDeniedException.builder(), "AccessDeniedException", 400)),
                Arguments.of("HTTP 403", (Supplier<RuntimeException>) () ->
                        serviceError(KinesisException.builder(), "UnrecognizedClientException", 403)),
                Arguments.of("KMSAccessDenied", (Supplier<RuntimeException>) () ->
                        serviceError(KmsAccessDeniedException.builder(), "KMSAccessDeniedException", 400)),
                Arguments.of("InvalidArgument", (Supplier<RuntimeException>) () ->
                        serviceError(InvalidArgumentException.builder(), "InvalidArgumentException", 400)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("definite")
    void accessDeniedAndInvalidArgumentsFailNamingTheAction(String name, Supplier<RuntimeException> failure) {
        kinesis.append(1);
        PollingFetcher fetcher = fromTrimHorizon(10);
        RuntimeException onIterator = failure.get();
        kinesis.failGetShardIterator(onIterator);
        assertThat(fetcher.read().join()).isEqualTo(new FetchOutcome.Failed("kinesis:GetShardIterator", onIterator));
        RuntimeException onRecords = failure.get();
        kinesis.failGetRecords(onRecords);
        assertThat(fetcher.read().join()).isEqualTo(new FetchOutcome.Failed("kinesis:GetRecords", onRecords));
        assertThat(sequenceNumbers(records(fetcher.read().join()))).containsExactly(seq(0));
    }

    @Test
    void afterThreeConsecutiveFailuresANewIteratorIsUsed() {
        kinesis.append(6);
        PollingFetcher fetcher = fromTrimHorizon(2);
        records(fetcher.read().join());
        RuntimeException failure = serviceError(InternalFailureException.builder(), "InternalFailure", 500);
        kinesis.failGetRecords(failure, failure, failure);
        for (int i = 0; i < 3; i++) {
            retryLater(fetcher.read().join());
        }
        assertThat(kinesis.iteratorRequests).as("the old iterator up to the third failure").hasSize(1);
        List<String> used = kinesis.iteratorsUsed();
        assertThat(used.subList(1, 4)).as("the second iterator, three times").containsOnly(used.get(1));
        assertThat(sequenceNumbers(records(fetcher.read().join()))).containsExactly(seq(2), seq(3));
        assertThat(kinesis.iteratorRequests).hasSize(2);
        assertThat(iteratorRequest(1).shardIteratorType()).isEqualTo(ShardIteratorType.AFTER_SEQUENCE_NUMBER);
        assertThat(iteratorRequest(1).startingSequenceNumber()).isEqualTo(seq(1));
        assertThat(kinesis.iteratorsUsed().get(4)).isNotEqualTo(used.get(1));
    }

    @Test
    void failuresThatAreNotConsecutiveKeepTheIterator() {
        kinesis.append(6);
        PollingFetcher fetcher = fromTrimHorizon(2);
        RuntimeException failure = serviceError(InternalFailureException.builder(), "InternalFailure", 500);
        List<String> read = new ArrayList<>();
        kinesis.failGetRecords(failure, failure, null, failure, failure, null, null);
        for (int i = 0; i < 7; i++) {
            FetchOutcome outcome = fetcher.read().join();
            if (outcome instanceof FetchOutcome.Records records) {
                read.addAll(sequenceNumbers(records.result()));
            }
        }
        assertThat(read).containsExactlyElementsOf(sequenceNumbers(0, 6));
        assertThat(kinesis.iteratorRequests).hasSize(1);
    }

    @Test
    void aFailureBeforeAnyRecordWasReadGetsTheNewIteratorAtTheStartPosition() {
        kinesis.append(3);
        PollingFetcher fetcher = started(10, Duration.ofSeconds(1), ExtendedSequenceNumber.of(seq(1)),
                InitialPosition.trimHorizon());
        RuntimeException failure = serviceError(InternalFailureException.builder(), "InternalFailure", 500);
        kinesis.failGetRecords(failure, failure, failure);
        for (int i = 0; i < 3; i++) {
            retryLater(fetcher.read().join());
        }
        assertThat(sequenceNumbers(records(fetcher.read().join()))).containsExactlyElementsOf(sequenceNumbers(1, 3));
        assertThat(kinesis.iteratorRequests).hasSize(2).allSatisfy(request -> {
            assertThat(request.shardIteratorType()).isEqualTo(ShardIteratorType.AT_SEQUENCE_NUMBER);
            assertThat(request.startingSequenceNumber()).isEqualTo(seq(1));
        });
    }

    // --- pacing ---

    @Test
    void thereIsNoDelayBeforeTheFirstRead() {
        assertThat(fromTrimHorizon(10).delayBeforeNextRead()).isZero();
    }

    @Test
    void aFullResponseIsReadAgainAtOnceButAtMostFiveTimesASecond() {
        kinesis.append(5);
        PollingFetcher fetcher = started(5, Duration.ofSeconds(5), ExtendedSequenceNumber.TRIM_HORIZON,
                InitialPosition.trimHorizon());
        long before = System.nanoTime();
        FetchResult result = records(fetcher.read().join());
        Duration delay = fetcher.delayBeforeNextRead();
        Duration since = Duration.ofNanos(System.nanoTime() - before);
        assertThat(result.full()).isTrue();
        assertThat(result.millisBehindLatest()).as("the full response alone says: catching up").isZero();
        assertThat(delay).isLessThanOrEqualTo(Duration.ofMillis(200))
                .isGreaterThanOrEqualTo(max0(Duration.ofMillis(200).minus(since)));
    }

    @Test
    void aShardBehindTheTipIsReadAgainAtOnceButAtMostFiveTimesASecond() {
        kinesis.append(10);
        kinesis.maxPerCall(3);
        PollingFetcher fetcher = started(100, Duration.ofSeconds(5), ExtendedSequenceNumber.TRIM_HORIZON,
                InitialPosition.trimHorizon());
        long before = System.nanoTime();
        FetchResult result = records(fetcher.read().join());
        Duration delay = fetcher.delayBeforeNextRead();
        Duration since = Duration.ofNanos(System.nanoTime() - before);
        assertThat(result.full()).isFalse();
        assertThat(result.millisBehindLatest()).isPositive();
        assertThat(delay).isLessThanOrEqualTo(Duration.ofMillis(200))
                .isGreaterThanOrEqualTo(max0(Duration.ofMillis(200).minus(since)));
    }

    @Test
    void aCaughtUpShardIsReadAgainAfterTheIdleTimeGiveOrTakeATenth() {
        kinesis.append(2);
        PollingFetcher fetcher = started(100, Duration.ofSeconds(5), ExtendedSequenceNumber.TRIM_HORIZON,
                InitialPosition.trimHorizon());
        long before = System.nanoTime();
        records(fetcher.read().join());
        Duration delay = fetcher.delayBeforeNextRead();
        Duration since = Duration.ofNanos(System.nanoTime() - before);
        assertThat(delay).isLessThanOrEqualTo(Duration.ofMillis(5500))
                .isGreaterThanOrEqualTo(Duration.ofMillis(4500).minus(since))
                .isGreaterThan(Duration.ofMillis(200));
    }

    @Test
    void theIdleWaitsOfACaughtUpShardAreJitteredSoShardsStartedTogetherDriftApart() {
        Set<Duration> waits = new HashSet<>();
        PollingFetcher fetcher = started(100, Duration.ofSeconds(100), ExtendedSequenceNumber.TRIM_HORIZON,
                InitialPosition.trimHorizon());
        for (int read = 0; read < 20; read++) {
            kinesis.append(1);
            records(fetcher.read().join());
            Duration wait = fetcher.delayBeforeNextRead();
            assertThat(wait).isBetween(Duration.ofSeconds(89), Duration.ofSeconds(110));
            waits.add(wait.truncatedTo(ChronoUnit.SECONDS));
        }
        assertThat(waits).as("whole seconds seen among 20 waits of 90..110 s").hasSizeGreaterThan(1);
    }

    @Test
    void theIdleTimeCountsFromTheStartOfTheLastCall() {
        kinesis.append(2);
        kinesis.callMillis(300);
        PollingFetcher fetcher = started(100, Duration.ofSeconds(1), ExtendedSequenceNumber.TRIM_HORIZON,
                InitialPosition.trimHorizon());
        records(fetcher.read().join());
        assertThat(fetcher.delayBeforeNextRead()).isLessThanOrEqualTo(Duration.ofMillis(800));
    }

    @Test
    void aCallSlowerThanTheCallRateLeavesNoDelayNeverANegativeOne() {
        kinesis.append(10);
        kinesis.callMillis(250);
        PollingFetcher fetcher = started(5, Duration.ofSeconds(1), ExtendedSequenceNumber.TRIM_HORIZON,
                InitialPosition.trimHorizon());
        records(fetcher.read().join());
        assertThat(fetcher.delayBeforeNextRead()).isZero();
    }

    @Test
    void anIdleTimeBelowTheCallRateStillReadsAtMostFiveTimesASecond() {
        kinesis.append(1);
        PollingFetcher fetcher = started(100, Duration.ofMillis(20), ExtendedSequenceNumber.TRIM_HORIZON,
                InitialPosition.trimHorizon());
        long before = System.nanoTime();
        records(fetcher.read().join());
        Duration delay = fetcher.delayBeforeNextRead();
        Duration since = Duration.ofNanos(System.nanoTime() - before);
        assertThat(delay).isGreaterThanOrEqualTo(max0(Duration.ofMillis(200).minus(since)));
    }

    private static Duration max0(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }

    // --- shard end ---

    @Test
    void theEndOfAClosedShardComesWithItsChildren() {
        List<ChildShard> children = List.of(
                ChildShard.builder().shardId("shardId-000000000004").parentShards(SHARD)
                        .hashKeyRange(range -> range.startingHashKey("0").endingHashKey("100")).build(),
                ChildShard.builder().shardId("shardId-000000000005").parentShards(SHARD)
                        .hashKeyRange(range -> range.startingHashKey("101").endingHashKey("200")).build());
        kinesis.append(3).close(children);
        PollingFetcher fetcher = fromTrimHorizon(2);
        FetchResult first = records(fetcher.read().join());
        assertThat(first.shardEnd()).isFalse();
        assertThat(first.childShards()).isEmpty();
        FetchResult last = records(fetcher.read().join());
        assertThat(sequenceNumbers(last)).as("the last records come with the end").containsExactly(seq(2));
        assertThat(last.shardEnd()).isTrue();
        assertThat(last.childShards()).containsExactlyElementsOf(children);
    }

    @Test
    void anEmptyClosedShardEndsAtTheFirstRead() {
        ChildShard child = ChildShard.builder().shardId("shardId-000000000009").parentShards(SHARD, "shardId-000000000008")
                .hashKeyRange(range -> range.startingHashKey("0").endingHashKey("200")).build();
        kinesis.close(List.of(child));
        FetchResult result = records(fromTrimHorizon(10).read().join());
        assertThat(result.records()).isEmpty();
        assertThat(result.shardEnd()).isTrue();
        assertThat(result.childShards()).containsExactly(child);
    }
}
