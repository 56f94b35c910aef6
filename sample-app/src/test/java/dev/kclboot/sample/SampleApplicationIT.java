package dev.kclboot.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Starts the sample in local mode (its own emulators on free ports) and checks, through HTTP as an operator would,
 * that records are consumed and that health, the kinesis endpoint, the record counter and {@code /counts} say so; a
 * sentence posted to {@code /words} is consumed and counted, and the local-mode and count log lines are visible.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sample.local-mode=true", "sample.local.kinesis-port=0", "sample.local.dynamodb-port=0",
        "sample.report-interval=1s", "sample.producer.rate=50" })
@ExtendWith(OutputCaptureExtension.class)
class SampleApplicationIT {

    @Autowired
    WordCounter counter;

    @Autowired
    Environment environment;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void localModeProducesAndConsumesAndReportsHealthUp() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> counter.records() >= 20);
        assertThat(counter.wordsByKey().keySet()).anyMatch(key -> key.startsWith("user-"));
        assertThat(counter.wordsByKey().values()).allMatch(words -> words > 0);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> health = get("/actuator/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"kinesis\"");
        });
        HttpResponse<String> kinesis = get("/actuator/kinesis");
        assertThat(kinesis.statusCode()).isEqualTo(200);
        assertThat(kinesis.body()).contains("words-counter").contains("shardId-000000000000");
        HttpResponse<String> records = get("/actuator/metrics/kcl.records.processed");
        assertThat(records.statusCode()).isEqualTo(200);
        assertThat(records.body()).contains("\"COUNT\"");
        HttpResponse<String> counts = get("/counts");
        assertThat(counts.statusCode()).isEqualTo(200);
        assertThat(counts.body()).contains("\"records\":").contains("\"wordsByKey\":{").contains("\"user-");
    }

    @Test
    void aSentencePostedToWordsIsConsumedAndCountedUnderItsKey(CapturedOutput output) throws Exception {
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(uri("/words?key=readme"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("my own three"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(202);
        assertThat(put.body()).contains("\"shardId\":\"shardId-");
        await().atMost(Duration.ofSeconds(60)).until(() -> counter.wordsByKey().getOrDefault("readme", 0L) == 3L);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(output)
                .contains("words per key {").contains("readme=3"));
        assertThat(output).contains("Local mode: starting kinesis-local on port")
                .contains("Local mode: created stream 'words' with 4 shards");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + environment.getProperty("local.server.port") + path);
    }
}
