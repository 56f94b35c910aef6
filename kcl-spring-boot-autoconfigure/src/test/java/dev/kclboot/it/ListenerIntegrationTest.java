package dev.kclboot.it;

import dev.kclboot.test.EmbeddedKinesis;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * What every {@code @SpringBootTest} against the emulators shares: the emulators (through {@link EmbeddedKinesis}),
 * short failover and idle times, reading from the start of the stream, fast retries, and a context that is closed
 * after the test class (so its worker does not keep polling).
 */
@EmbeddedKinesis
@DirtiesContext
@TestPropertySource(properties = { "kcl.lease.failover-time=3s", "kcl.polling.idle-time-between-reads=200ms",
        "kcl.initial-position=TRIM_HORIZON", "kcl.retry.backoff.initial-interval=100ms",
        "kcl.retry.backoff.max-interval=500ms", "kcl.shutdown-timeout=10s" })
abstract class ListenerIntegrationTest {
}
