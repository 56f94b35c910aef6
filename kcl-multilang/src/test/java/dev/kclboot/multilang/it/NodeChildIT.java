package dev.kclboot.multilang.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.kclboot.multilang.MultiLangHost;
import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Node record processor, run as the daemon runs aws-kcl apps: the script itself as {@code executableName} (shebang
 * and execute bit), checkpoint requests without {@code subSequenceNumber}. Every record once, every checkpoint
 * accepted, a graceful stop with {@code shutdownRequested} and {@code leaseLost}.
 */
@EmbeddedKinesis
class NodeChildIT {

    static final Path NODE_PROCESSOR = Path.of("src/test/node/record_processor.js").toAbsolutePath();

    @TempDir
    Path directory;

    @Test
    void aNodeProcessorConsumesEveryShard(LocalKinesis local) {
        String stream = local.createStream(2);
        String application = LocalKinesis.uniqueName("app");
        Path events = directory.resolve("events.log");
        List<String> written = TestRecords.put(local, stream, "n", 60, 12);
        try (TestHosts hosts = new TestHosts(local, directory)) {
            MultiLangHost.Running host = hosts.start(hosts.properties(application, stream,
                    NODE_PROCESSOR + " --events " + events));
            await().atMost(Duration.ofSeconds(60)).until(() -> ChildEvents.read(events).committedCounts().size() == 60);
            host.stop();
        }
        ChildEvents all = ChildEvents.read(events);
        assertThat(all.deliveredData()).containsExactlyInAnyOrderElementsOf(written);
        assertThat(all.ofType("CKPT")).isNotEmpty().allSatisfy(checkpoint -> assertThat(checkpoint.field(0)).isEqualTo("ok"));
        assertThat(all.typesByChild()).hasSize(2).allSatisfy((pid, types) -> assertThat(types.subList(types.size() - 3,
                types.size())).containsExactly("SHUTDOWN_REQUESTED", "LEASE_LOST", "EXIT"));
        assertThat(all.ofType("SHUTDOWN_REQUESTED")).allSatisfy(event -> assertThat(event.field(0)).isEqualTo("ok"));
        SeveralShardsIT.assertShardOrder(all);
    }
}
