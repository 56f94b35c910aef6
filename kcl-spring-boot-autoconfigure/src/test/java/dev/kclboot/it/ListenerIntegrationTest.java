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
@TestPropertySource(properties = { TestApplications.FAILOVER, TestApplications.IDLE, TestApplications.FROM_START,
        TestApplications.FAST_RETRY, TestApplications.SHORT_RETRY_CAP, TestApplications.SHUTDOWN })
abstract class ListenerIntegrationTest {
}
