package dev.kclboot.multilang.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.kclboot.core.StreamNotFoundException;
import dev.kclboot.core.WorkerState;
import dev.kclboot.multilang.MultiLangHost;
import dev.kclboot.multilang.child.ChildStartException;
import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What fails the start, with a message that says what to fix, and what does not: a child that exits before it
 * answers {@code initialize} is retried with a backoff that doubles while it keeps failing, and the host stays up.
 */
@EmbeddedKinesis
class StartFailureIT {

    @TempDir
    Path directory;

    @Test
    void aProgramThatCannotRunFailsTheStartBeforeAnyAwsCall(LocalKinesis local) {
        try (TestHosts hosts = new TestHosts(local, directory)) {
            Map<String, String> properties = hosts.properties("never-created", "no-such-stream",
                    "./no_such_app.py --x");
            assertThatThrownBy(() -> hosts.start(properties)).isInstanceOf(ChildStartException.class)
                    .hasMessageContaining("no_such_app.py (executableName = ./no_such_app.py --x) does not exist");
            properties.put("executableName", "sample_kclpy_app.py");
            assertThatThrownBy(() -> hosts.start(properties)).isInstanceOf(ChildStartException.class)
                    .hasMessageContaining("'sample_kclpy_app.py' (executableName = sample_kclpy_app.py) is not on the PATH");
        }
        assertThat(local.dynamoDbClient().listTables().tableNames()).doesNotContain("never-created");
    }

    @Test
    void aMissingStreamFailsTheStartNamingIt(LocalKinesis local) {
        try (TestHosts hosts = new TestHosts(local, directory)) {
            Map<String, String> properties = hosts.properties(LocalKinesis.uniqueName("app"), "no-such-stream",
                    TestHosts.python(directory.resolve("events.log"), ProcessorStyle.V3));
            assertThatThrownBy(() -> hosts.start(properties)).isInstanceOf(StreamNotFoundException.class)
                    .hasMessageContaining("no-such-stream");
        }
    }

    @Test
    void aChildThatDiesBeforeInitializeIsRetriedWithADoublingBackoff(LocalKinesis local) {
        String stream = local.createStream(1);
        try (TestHosts hosts = new TestHosts(local, directory);
                LogCapture log = new LogCapture("dev.kclboot.multilang.processor.MultiLangShardProcessor")) {
            MultiLangHost.Running host = hosts.start(hosts.properties(LocalKinesis.uniqueName("app"), stream,
                    "python3 -c exit(5)"));
            await().atMost(Duration.ofSeconds(60)).until(() -> failures(log).size() >= 3);
            assertThat(failures(log).subList(0, 3)).allSatisfy(message -> assertThat(message)
                    .startsWith("The record processor of shardId-000000000000 closed its stdout (exit code 5)"));
            assertThat(failures(log).subList(0, 3)).extracting(message -> message.replaceAll(".* in (\\d+) ms .*", "$1"))
                    .containsExactly("1000", "2000", "4000");
            assertThat(host.host().worker().state()).isEqualTo(WorkerState.RUNNING);
        }
    }

    private static List<String> failures(LogCapture log) {
        return log.events().stream().map(ILoggingEvent::getFormattedMessage)
                .filter(message -> message.contains("Ending only this shard")).toList();
    }
}
