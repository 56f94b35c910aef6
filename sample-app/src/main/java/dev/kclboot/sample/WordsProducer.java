package dev.kclboot.sample;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
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

    /** Every 200 ms one PutRecords call with a fifth of the rate, so the rate holds even when a call is slow. */
    private void produce() {
        long intervalNanos = 200_000_000L;
        int perCall = Math.max(1, perSecond / 5);
        long next = System.nanoTime();
        while (running) {
            try {
                List<PutRecordsRequestEntry> entries = new ArrayList<>(perCall);
                for (int i = 0; i < perCall; i++) {
                    String key = "user-" + ThreadLocalRandom.current().nextInt(1, 9);
                    byte[] json = jsonMapper.writeValueAsBytes(new WordEvent(sentence(), Instant.now()));
                    entries.add(PutRecordsRequestEntry.builder().partitionKey(key).data(SdkBytes.fromByteArray(json)).build());
                }
                kinesis.putRecords(request -> request.streamName(stream).records(entries));
                next += intervalNanos;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
                else {
                    next = System.nanoTime();
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
            catch (RuntimeException ex) {
                if (running) {
                    logger.warn("Could not write events: {}", ex.toString());
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
        return text.toString();
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
