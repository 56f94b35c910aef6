package dev.kclboot.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Starts the sample in local mode (its own emulators on free ports) and checks, through HTTP as an operator would,
 * that records are consumed and that health, the kinesis endpoint and the record counter say so.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sample.local-mode=true", "sample.local.kinesis-port=0", "sample.local.dynamodb-port=0",
        "sample.report-interval=1s", "sample.producer.rate=50" })
class SampleApplicationIT {

    @Autowired
    WordCounter counter;

    @Autowired
    Environment environment;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void localModeProducesAndConsumesAndReportsHealthUp() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> counter.records() >= 20);
        assertThat(counter.wordsByKey()).isNotEmpty().allSatisfy((key, words) -> {
            assertThat(key).startsWith("user-");
            assertThat(words).isPositive();
        });

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
    }

    private HttpResponse<String> get(String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + environment.getProperty("local.server.port") + path);
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
