package dev.kclboot.core;

import java.time.Duration;

import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@EmbeddedKinesis
class WorkerStartIT {

    @Test
    void aStreamThatDoesNotExistFailsStartNamingStreamAndRegion(LocalKinesis local) {
        Worker worker = Worker.builder().applicationName(LocalKinesis.uniqueName("app")).stream("no-such-stream")
                .kinesisClient(local.kinesisClient()).dynamoDbClient(local.dynamoDbClient())
                .recordProcessorFactory(name -> new RecordingProcessor(new RecordingProcessor.Recorder(), true))
                .build();
        assertThatThrownBy(worker::start).isInstanceOf(WorkerStartException.class)
                .hasMessageContaining("'no-such-stream'").hasMessageContaining("us-east-1");
        assertThat(worker.state()).isEqualTo(WorkerState.FAILED);
        assertThat(worker.shutdown(Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void createsTheLeaseTableNamedAfterTheApplicationWhenMissing(LocalKinesis local) {
        String stream = local.createStream(1);
        String application = LocalKinesis.uniqueName("app");
        Worker worker = Worker.builder().applicationName(application).stream(stream)
                .kinesisClient(local.kinesisClient()).dynamoDbClient(local.dynamoDbClient())
                .recordProcessorFactory(name -> new RecordingProcessor(new RecordingProcessor.Recorder(), true))
                .build();
        try {
            worker.start();
            var table = local.dynamoDbClient().describeTable(request -> request.tableName(application)).table();
            assertThat(table.keySchema()).singleElement()
                    .satisfies(key -> assertThat(key.attributeName()).isEqualTo("leaseKey"));
            assertThat(table.billingModeSummary().billingModeAsString()).isEqualTo("PAY_PER_REQUEST");
            assertThat(worker.state()).isEqualTo(WorkerState.RUNNING);
            assertThatThrownBy(worker::start).isInstanceOf(IllegalStateException.class);
        }
        finally {
            worker.shutdown(Duration.ofSeconds(5));
        }
    }
}
