package dev.kclboot.core.fetch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisServiceClientConfiguration;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorResponse;
import software.amazon.awssdk.services.kinesis.model.Record;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link KinesisReads#async}: read timeouts added only where the client has none, empty batches completed where the
 * client completed them and batches with records on the executor, failures passed on as they came.
 */
class KinesisReadsTest {

    private final List<Runnable> continued = new ArrayList<>();

    private final Executor continuation = continued::add;

    @Test
    void readsThroughAClientWithoutTimeoutsGetTheKclsPollingTimeouts() {
        RecordingClient client = new RecordingClient(ClientOverrideConfiguration.builder().build());
        KinesisReads reads = KinesisReads.async(client, 4, Runnable::run, continuation);
        reads.getShardIterator(GetShardIteratorRequest.builder().shardId("shardId-000000000000").build());
        reads.getRecords(GetRecordsRequest.builder().shardIterator("it").build());

        AwsRequestOverrideConfiguration iterator = client.iteratorRequests.get(0).overrideConfiguration().orElseThrow();
        assertThat(iterator.apiCallTimeout()).contains(Duration.ofSeconds(30));
        assertThat(iterator.apiCallAttemptTimeout()).contains(Duration.ofSeconds(10));
        AwsRequestOverrideConfiguration records = client.recordsRequests.get(0).overrideConfiguration().orElseThrow();
        assertThat(records.apiCallTimeout()).contains(Duration.ofSeconds(30));
        assertThat(records.apiCallAttemptTimeout()).contains(Duration.ofSeconds(10));
    }

    @Test
    void aClientWithItsOwnTimeoutsKeepsThem() {
        RecordingClient client = new RecordingClient(ClientOverrideConfiguration.builder()
                .apiCallAttemptTimeout(Duration.ofSeconds(2)).build());
        KinesisReads reads = KinesisReads.async(client, 4, Runnable::run, continuation);
        reads.getRecords(GetRecordsRequest.builder().shardIterator("it").build());

        assertThat(client.recordsRequests.get(0).overrideConfiguration()).isEmpty();
    }

    @Test
    void anEmptyBatchCompletesWhereTheClientCompletedItAndRecordsContinueOnTheExecutor() {
        RecordingClient client = new RecordingClient(ClientOverrideConfiguration.builder().build());
        KinesisReads reads = KinesisReads.async(client, 4, Runnable::run, continuation);

        CompletableFuture<GetRecordsResponse> empty = reads.getRecords(GetRecordsRequest.builder().build());
        client.answers.get(0).complete(GetRecordsResponse.builder().records(List.of()).nextShardIterator("n").build());
        assertThat(empty).isCompleted();
        assertThat(continued).isEmpty();

        CompletableFuture<GetRecordsResponse> full = reads.getRecords(GetRecordsRequest.builder().build());
        client.answers.get(1).complete(GetRecordsResponse.builder().records(Record.builder().sequenceNumber("1")
                .partitionKey("k").data(SdkBytes.fromUtf8String("x")).build()).nextShardIterator("n").build());
        assertThat(full).as("not on the client's thread").isNotDone();
        continued.forEach(Runnable::run);
        assertThat(full.join().records()).hasSize(1);
    }

    @Test
    void aFailedCallFailsItsReadWithTheSameCause() {
        RecordingClient client = new RecordingClient(ClientOverrideConfiguration.builder().build());
        KinesisReads reads = KinesisReads.async(client, 1, Runnable::run, continuation);
        CompletableFuture<GetRecordsResponse> read = reads.getRecords(GetRecordsRequest.builder().build());
        ExpiredIteratorException expired = ExpiredIteratorException.builder().message("expired").build();
        client.answers.get(0).completeExceptionally(expired);
        continued.forEach(Runnable::run);

        assertThat(read).isCompletedExceptionally();
        assertThat(read.handle((value, failure) -> failure).join()).isSameAs(expired);
    }

    /** Answers GetShardIterator at once and GetRecords when the test completes its future; keeps every request. */
    private static final class RecordingClient implements KinesisAsyncClient {

        private final ClientOverrideConfiguration configuration;

        final List<GetShardIteratorRequest> iteratorRequests = new ArrayList<>();

        final List<GetRecordsRequest> recordsRequests = new ArrayList<>();

        final List<CompletableFuture<GetRecordsResponse>> answers = new ArrayList<>();

        RecordingClient(ClientOverrideConfiguration configuration) {
            this.configuration = configuration;
        }

        @Override
        public CompletableFuture<GetShardIteratorResponse> getShardIterator(GetShardIteratorRequest request) {
            iteratorRequests.add(request);
            return CompletableFuture.completedFuture(GetShardIteratorResponse.builder().shardIterator("it").build());
        }

        @Override
        public CompletableFuture<GetRecordsResponse> getRecords(GetRecordsRequest request) {
            recordsRequests.add(request);
            CompletableFuture<GetRecordsResponse> answer = new CompletableFuture<>();
            answers.add(answer);
            return answer;
        }

        @Override
        public KinesisServiceClientConfiguration serviceClientConfiguration() {
            return KinesisServiceClientConfiguration.builder().overrideConfiguration(configuration).build();
        }

        @Override
        public String serviceName() {
            return "kinesis";
        }

        @Override
        public void close() {
        }
    }
}
