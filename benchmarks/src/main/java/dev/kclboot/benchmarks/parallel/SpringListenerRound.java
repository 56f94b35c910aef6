package dev.kclboot.benchmarks.parallel;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.test.LocalKinesis;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.GenericApplicationContext;

/**
 * One round of the parallel benchmark through Spring: a Boot application whose {@code @KinesisListener} sleeps per
 * record, with {@code kcl.listener.concurrency} set, on the round's stream and a fresh application name; it runs
 * until the tally has every record, then closes (a graceful stop).
 */
final class SpringListenerRound {

    private SpringListenerRound() {
    }

    static void run(LocalKinesis local, String stream, String application, int concurrency, Duration sleep,
            int records, RoundTally tally) throws InterruptedException {
        Map<String, Object> properties = new LinkedHashMap<>(local.springProperties());
        properties.put("kcl.stream", stream);
        properties.put("kcl.application-name", application);
        properties.put("kcl.initial-position", "TRIM_HORIZON");
        properties.put("kcl.polling.idle-time-between-reads", "200ms");
        properties.put("kcl.listener.concurrency", Integer.toString(concurrency));
        properties.put("logging.level.root", "WARN");
        properties.put("spring.main.banner-mode", "off");
        properties.put("spring.main.log-startup-info", "false");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE).properties(properties)
                // A bean definition (not a registered singleton), so that the @KinesisListener method is found.
                .initializers(applicationContext -> ((GenericApplicationContext) applicationContext)
                        .registerBean(SleepingListener.class, () -> new SleepingListener(sleep, tally)))
                .run()) {
            while (tally.finished() < records) {
                Thread.sleep(50);
            }
        }
    }

    /** The benchmark's application: the listener is registered by the round. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }

    /** Sleeps per record, as an I/O-bound call would, then counts it. */
    static final class SleepingListener {

        private final Duration sleep;

        private final RoundTally tally;

        SleepingListener(Duration sleep, RoundTally tally) {
            this.sleep = sleep;
            this.tally = tally;
        }

        @KinesisListener
        void onRecord(KinesisRecord record) throws InterruptedException {
            Thread.sleep(sleep.toMillis());
            tally.delivered(record);
        }
    }
}
