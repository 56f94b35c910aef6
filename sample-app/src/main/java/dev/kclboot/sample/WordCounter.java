package dev.kclboot.sample;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
import org.springframework.stereotype.Component;

/**
 * The listener: counts words per partition key. The container checkpoints after each batch (the default mode), so
 * a restart resumes after the last batch counted.
 */
@Component
public class WordCounter {

    private final Map<String, LongAdder> wordsByKey = new ConcurrentHashMap<>();

    private final LongAdder records = new LongAdder();

    @KinesisListener(stream = "${sample.stream}", id = "words")
    public void onEvent(WordEvent event, KinesisRecordMetadata metadata) {
        String[] words = event.text().trim().split("\\s+");
        wordsByKey.computeIfAbsent(metadata.partitionKey(), key -> new LongAdder()).add(words.length);
        records.increment();
    }

    /** Records consumed since the start. */
    public long records() {
        return records.sum();
    }

    /** Words counted per partition key, sorted by key. */
    public Map<String, Long> wordsByKey() {
        Map<String, Long> snapshot = new TreeMap<>();
        wordsByKey.forEach((key, count) -> snapshot.put(key, count.sum()));
        return snapshot;
    }
}
