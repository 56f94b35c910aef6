package dev.kclboot.multilang.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.kclboot.core.StreamNotFoundException;
import dev.kclboot.core.Worker;
import dev.kclboot.core.WorkerState;
import dev.kclboot.multilang.MultiLangHost;
import dev.kclboot.multilang.child.ChildStartException;
import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What fails the start, with a message that says what to fix, and what does not: a child that exits before it
 * answers {@code initialize} ends its shard's tenure as a consumer failure, and the shard gets a new child after the
 * engine's consumer-failure backoff, which doubles while it keeps failing; the host stays up, and its health is DOWN
 * once the shard has failed for longer than the failover time.
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
    void aChildThatDiesBeforeInitializeIsRetriedWithADoublingBackoffAndHealthGoesDown(LocalKinesis local)
            throws Exception {
        String stream = local.createStream(1);
        try (TestHosts hosts = new TestHosts(local, directory);
                LogCapture log = new LogCapture("dev.kclboot.core.ConsumerSupervisor")) {
            MultiLangHost.Running host = hosts.start(hosts.properties(LocalKinesis.uniqueName("app"), stream,
                    "python3 -c exit(5)"), "--management-port", "0");
            await().atMost(Duration.ofSeconds(60)).until(() -> releases(log).size() >= 3);
            // Read at once: the next child starts 2 s after the third failure at the earliest.
            List<ILoggingEvent> releases = releases(log);
            Worker worker = host.host().worker();
            assertThat(releases).hasSize(3);
            assertThat(worker.shardFailures()).singleElement().satisfies(failure -> {
                assertThat(failure.shardId()).isEqualTo("shardId-000000000000");
                assertThat(failure.failures()).isEqualTo(3);
                assertThat(failure.error()).startsWith("ShardFailedException: The record processor of "
                        + "shardId-000000000000 closed its stdout (exit code 5). Ending only this shard");
            });
            assertThat(counter(host, "kcl.multilang.children.started")).isEqualTo(3.0);
            assertThat(host.cumulative().get("kcl.multilang.children.failed").tag("reason", "exited").counter()
                    .count()).isEqualTo(3.0);
            assertThat(counter(host, "kcl.consumer.failures")).isEqualTo(3.0);
            // The host's backoff, kept by the engine: 1 s doubling to 30 s (the engine's default cap is 1 min)...
            assertThat(worker.config().consumerFailureInitialBackoff()).isEqualTo(Duration.ofSeconds(1));
            assertThat(worker.config().consumerFailureMaxBackoff()).isEqualTo(Duration.ofSeconds(30));
            // ... each wait jittered into [half, all] of it...
            List<Long> delays = releases.stream().map(event -> Long.parseLong(event.getFormattedMessage()
                    .replaceAll(".* again in (\\d+) ms .*", "$1"))).toList();
            assertThat(delays.get(0)).isBetween(500L, 1000L);
            assertThat(delays.get(1)).isBetween(1000L, 2000L);
            assertThat(delays.get(2)).isBetween(2000L, 4000L);
            // ... and waited: no new child fails before the wait after the previous failure is over.
            for (int i = 1; i < 3; i++) {
                assertThat(releases.get(i).getTimeStamp() - releases.get(i - 1).getTimeStamp())
                        .isGreaterThanOrEqualTo(delays.get(i - 1));
            }
            assertThat(worker.state()).isEqualTo(WorkerState.RUNNING);
            // Failing for longer than the failover time (1.5 s): health is DOWN and names the shard and the child.
            int port = host.management().port();
            await().atMost(Duration.ofSeconds(10)).until(() -> get(port, "/actuator/health").statusCode() == 503);
            HttpResponse<String> health = get(port, "/actuator/health");
            assertThat(health.body()).containsPattern("\"shardFailures\":\\[\\{\"streamName\":\"" + stream
                    + "\",\"shardId\":\"shardId-000000000000\",\"failures\":\\d+,")
                    .containsPattern("\"problem\":\"shard shardId-000000000000 of stream " + stream
                            + " has failed \\d+ times since [^\"]+: ShardFailedException: The record processor of "
                            + "shardId-000000000000 closed its stdout \\(exit code 5\\)")
                    .endsWith("\"status\":\"DOWN\"}},\"status\":\"DOWN\"}");
            assertThat(get(port, "/actuator/kinesis").body()).contains("\"shardFailures\":[{\"streamName\":\""
                    + stream + "\",\"shardId\":\"shardId-000000000000\"", "\"deletedStreams\":{}");
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The engine's line for each consumer failure: the shard is released and kept off for the backoff. */
    private static List<ILoggingEvent> releases(LogCapture log) {
        return log.events().stream().filter(event -> event.getFormattedMessage()
                .startsWith("Shard shardId-000000000000 of stream ")
                && event.getFormattedMessage().contains(" released after a consumer failure")).toList();
    }

    private static double counter(MultiLangHost.Running host, String name) {
        return host.cumulative().get(name).counter().count();
    }
}
