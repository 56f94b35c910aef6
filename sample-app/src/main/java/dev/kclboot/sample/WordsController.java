package dev.kclboot.sample;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sample's HTTP side: {@code GET /counts} shows what the listener counted, {@code POST /words} puts your own
 * sentence into the stream as a {@link WordEvent} (through the application's Kinesis client, so in local mode it
 * lands in the local stream).
 */
@RestController
class WordsController {

    private final WordCounter counter;

    private final KinesisClient kinesis;

    private final JsonMapper jsonMapper;

    private final String stream;

    WordsController(WordCounter counter, KinesisClient kinesis, JsonMapper jsonMapper,
            @Value("${sample.stream}") String stream) {
        this.counter = counter;
        this.kinesis = kinesis;
        this.jsonMapper = jsonMapper;
        this.stream = stream;
    }

    /** Records consumed by this instance and words counted per partition key. */
    @GetMapping("/counts")
    Map<String, Object> counts() {
        return Map.of("records", counter.records(), "wordsByKey", counter.wordsByKey());
    }

    /** Puts the body (plain text) into the stream with the given partition key. */
    @PostMapping("/words")
    ResponseEntity<Map<String, String>> put(@RequestBody String text,
            @RequestParam(name = "key", defaultValue = "me") String partitionKey) {
        byte[] json = jsonMapper.writeValueAsBytes(new WordEvent(text.strip(), Instant.now()));
        PutRecordResponse response = kinesis.putRecord(request -> request.streamName(stream)
                .partitionKey(partitionKey).data(SdkBytes.fromByteArray(json)));
        return ResponseEntity.accepted().body(Map.of("stream", stream, "shardId", response.shardId(),
                "sequenceNumber", response.sequenceNumber(), "record", new String(json, StandardCharsets.UTF_8)));
    }
}
