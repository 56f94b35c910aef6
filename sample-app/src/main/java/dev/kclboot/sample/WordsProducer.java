package dev.kclboot.sample;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes {@link WordEvent}s to the stream at a steady rate (local mode only), with a handful of partition keys so the
 * counts per key are easy to read.
 */
public class WordsProducer implements SmartLifecycle {

    private static final Logger logger = LoggerFactory.getLogger(WordsProducer.class);

    private static final List<String> WORDS = List.of("kinesis", "shard", "lease", "checkpoint", "record", "stream",
            "spring", "boot", "worker", "dynamo", "split", "merge");

    private final KinesisClient kinesis;

    private final JsonMapper jsonMapper;

    private final String stream;

    private final int perSecond;

    private volatile boolean running;

    private Thread thread;

    public WordsProducer(KinesisClient kinesis, JsonMapper jsonMapper, String stream, int perSecond) {
        this.kinesis = kinesis;
        this.jsonMapper = jsonMapper;
        this.stream = stream;
        this.perSecond = perSecond;
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::produce, "words-producer");
        thread.setDaemon(true);
        thread.start();
        logger.info("Producing {} events/s to stream '{}'", perSecond, stream);
    }

    private void produce() {
        long intervalNanos = 1_000_000_000L / Math.max(1, perSecond);
        long next = System.nanoTime();
        while (running) {
            try {
                String key = "user-" + ThreadLocalRandom.current().nextInt(1, 9);
                byte[] json = jsonMapper.writeValueAsBytes(new WordEvent(sentence(), Instant.now()));
                kinesis.putRecord(request -> request.streamName(stream).partitionKey(key).data(SdkBytes.fromByteArray(json)));
                next += intervalNanos;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
            catch (RuntimeException ex) {
                if (running) {
                    logger.warn("Could not write an event: {}", ex.toString());
                }
            }
        }
    }

    private static String sentence() {
        StringBuilder text = new StringBuilder();
        int words = ThreadLocalRandom.current().nextInt(2, 8);
        for (int i = 0; i < words; i++) {
            text.append(i == 0 ? "" : " ").append(WORDS.get(ThreadLocalRandom.current().nextInt(WORDS.size())));
        }
        return new String(text.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before the listener containers so the last events written are still consumed by this instance. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
