package dev.kclboot.sample;

import java.util.List;

import dev.kclboot.core.HeldLease;
import dev.kclboot.spring.config.KinesisListenerEndpointRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Logs a line every few seconds: records consumed, records/s, the largest lag, the leases this instance holds and the
 * words counted per partition key (also at {@code GET /counts}).
 */
public class ProgressReporter {

    private static final Logger logger = LoggerFactory.getLogger(ProgressReporter.class);

    private final WordCounter counter;

    private final KinesisListenerEndpointRegistry registry;

    private long lastRecords;

    private long lastNanos = System.nanoTime();

    public ProgressReporter(WordCounter counter, KinesisListenerEndpointRegistry registry) {
        this.counter = counter;
        this.registry = registry;
    }

    @Scheduled(fixedRateString = "${sample.report-interval:5s}", initialDelayString = "${sample.report-interval:5s}")
    public void report() {
        long now = System.nanoTime();
        long records = counter.records();
        double perSecond = (records - lastRecords) * 1e9 / Math.max(1, now - lastNanos);
        lastRecords = records;
        lastNanos = now;
        List<HeldLease> leases = registry.getWorkers().stream().flatMap(worker -> worker.leases().stream()).toList();
        long lag = leases.stream().map(HeldLease::millisBehindLatest).filter(value -> value != null)
                .mapToLong(Long::longValue).max().orElse(0);
        logger.info("consumed {} records ({} records/s), lag {} ms, leases held {}: {}; words per key {}", records,
                String.format("%.1f", perSecond), lag, leases.size(),
                leases.stream().map(HeldLease::shardId).sorted().toList(), counter.wordsByKey());
    }
}
