package dev.kclboot.multilang.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host as its users run it: a separate JVM started with the main class and a properties file. SIGTERM stops it
 * gracefully (each child gets {@code shutdownRequested}, may checkpoint, gets {@code leaseLost}, the leases are
 * released); a Ctrl-C (SIGINT to the terminal's process group) reaches only the host, not the children; the
 * management port serves health, the kinesis endpoint and the meters, and {@code --log-metrics} logs the meters; an
 * unknown key is named in a warning and its value is not logged.
 */
@EmbeddedKinesis
class HostProcessIT {

    @TempDir
    Path directory;

    private final List<Process> processes = new ArrayList<>();

    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void killLeftovers() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void sigtermStopsGracefullyAndTheManagementPortServesHealthAndMeters(LocalKinesis local) throws Exception {
        String stream = local.createStream(2);
        String application = LocalKinesis.uniqueName("app");
        Path events = directory.resolve("events.log");
        List<String> written = TestRecords.put(local, stream, "r", 50, 10);
        int port = freePort();
        Path output = directory.resolve("host.out");
        Process host = launch(local, application, stream, events, output, false, "--management-port", Integer.toString(port),
                "--log-metrics", "1s");
        await().atMost(Duration.ofSeconds(60)).until(() -> ChildEvents.read(events).committedCounts().size() == 50);

        HttpResponse<String> health = get(port, "/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).startsWith("{\"components\":{\"kinesis\":{\"details\":{\"workers\":{\""
                + application + "/host-p\":{\"application\":\"" + application + "\",\"workerId\":\"host-p\"")
                .endsWith("},\"status\":\"UP\"}},\"status\":\"UP\"}");
        assertThat(health.body()).contains("\"leasesHeld\":2", "\"children\":[{\"shardId\":\"shardId-000000000000\"");
        HttpResponse<String> kinesis = get(port, "/actuator/kinesis");
        assertThat(kinesis.body()).startsWith("{\"workers\":[{\"application\":\"" + application
                + "\",\"workerId\":\"host-p\",\"leaseTable\":\"" + application + "\",\"streams\":{\"" + stream
                + "\":false},\"state\":\"RUNNING\"").contains("\"listeners\":[]", "\"shardId\":\"shardId-000000000001\"");
        assertThat(get(port, "/actuator/kinesis/" + application).statusCode()).isEqualTo(200);
        assertThat(get(port, "/actuator/kinesis/other").statusCode()).isEqualTo(404);
        HttpResponse<String> records = get(port, "/actuator/metrics/kcl.records.processed");
        assertThat(records.body()).contains("{\"statistic\":\"COUNT\",\"value\":50.0}");
        assertThat(get(port, "/actuator/metrics/kcl.multilang.children.running").body())
                .contains("{\"statistic\":\"VALUE\",\"value\":2.0}");

        host.destroy(); // SIGTERM
        assertThat(host.waitFor(30, TimeUnit.SECONDS)).isTrue();
        ChildEvents all = ChildEvents.read(events);
        assertThat(all.deliveredData()).containsExactlyInAnyOrderElementsOf(written);
        all.typesByChild().forEach((pid, types) -> assertThat(types.subList(types.size() - 3, types.size()))
                .containsExactly("SHUTDOWN_REQUESTED", "LEASE_LOST", "EXIT"));
        assertThat(LeaseRows.owners(local, application).values()).containsExactly("<none>", "<none>");
        String log = Files.readString(output);
        assertThat(log).contains("Unknown keys in the properties file, ignored: noSuchKey");
        assertThat(log).contains("Accepted without effect: maxActiveThreads");
        assertThat(log).doesNotContain("local-secret");
        assertThat(log).containsPattern("dev.kclboot.multilang.metrics - kcl\\.records\\.processed\\{application="
                + application + ",shard=shardId-00000000000[01],stream=" + stream + "\\}");
    }

    @Test
    void ctrlCReachesOnlyTheHostWhichAsksEveryChildToShutDown(LocalKinesis local) throws Exception {
        String stream = local.createStream(2);
        String application = LocalKinesis.uniqueName("app");
        Path events = directory.resolve("events.log");
        TestRecords.put(local, stream, "r", 20, 10);
        Path output = directory.resolve("host.out");
        // setsid: the host leads a process group as a terminal's foreground job would; kill -INT -pgid is Ctrl-C.
        Process host = launch(local, application, stream, events, output, true);
        await().atMost(Duration.ofSeconds(60)).until(() -> ChildEvents.read(events).committedCounts().size() == 20);
        Process interrupt = new ProcessBuilder("kill", "-INT", "--", "-" + host.pid()).inheritIO().start();
        assertThat(interrupt.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(host.waitFor(30, TimeUnit.SECONDS)).isTrue();

        ChildEvents all = ChildEvents.read(events);
        assertThat(all.typesByChild()).hasSize(2).allSatisfy((pid, types) -> assertThat(types.subList(types.size() - 3,
                types.size())).containsExactly("SHUTDOWN_REQUESTED", "LEASE_LOST", "EXIT"));
        assertThat(Files.readString(output)).doesNotContain("KeyboardInterrupt");
        assertThat(LeaseRows.owners(local, application).values()).containsExactly("<none>", "<none>");
    }

    private Process launch(LocalKinesis local, String application, String stream, Path events, Path output,
            boolean ownProcessGroup, String... options) throws IOException {
        TestHosts hosts = new TestHosts(local, directory);
        Map<String, String> properties = hosts.properties(application, stream,
                TestHosts.python(events, ProcessorStyle.V3));
        properties.put("workerId", "host-p");
        properties.put("noSuchKey", "local-secret");
        properties.put("maxActiveThreads", "4");
        Path file = hosts.write(properties);
        List<String> command = new ArrayList<>();
        if (ownProcessGroup) {
            command.add("setsid");
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Daws.accessKeyId=local", "-Daws.secretAccessKey=local", "-cp", System.getProperty("java.class.path"),
                "dev.kclboot.multilang.MultiLangHost", file.toString()));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        processes.add(process);
        return process;
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
