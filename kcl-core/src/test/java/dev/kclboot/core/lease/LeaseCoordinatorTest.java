package dev.kclboot.core.lease;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link LeaseCoordinator} against a real lease table ({@link DynamoDbLeaseTable} on dynalite), several coordinators
 * playing the workers. Covered:
 * <ul>
 * <li>taking: free leases up to the fair share and max-leases-per-worker; parents first (a child of an unfinished
 * parent lease is neither taken nor counted; a child of a finished or missing parent is); excluded and finished leases
 * are not taken; a silent worker's lease after the failover time, a live one's never; a restarted worker's own leases
 * at once;</li>
 * <li>handoff: a live busier worker's lease is asked for, not grabbed; the owner's next renewal (or checkpoint, or
 * release) finds the request, keeps the lease held and draining ({@code isHandingOver}, checkpoints work, one
 * {@code handoffRequested} event); {@code release} completes it and the requester takes it at its next round; an owner
 * that does not complete within the failover time (draining or silent) is taken over;</li>
 * <li>local expiry: a lease whose last successful write is older than the failover time minus a third is not held,
 * also when renewals are attempted and fail, and counted from when the write was sent when its answer came late; the
 * next renewal round drops it with one {@code leaseLost} event; {@code lastRenewal};</li>
 * <li>lost leases: a checkpoint or renewal of a lease another worker took throws/drops it with one event; an earlier
 * tenure's token can neither checkpoint nor release;</li>
 * <li>writes that landed although the call failed (a 500 instead of the answer, with and without the SDK retrying and
 * failing its condition, or a failure after the call): take, renew, checkpoint, release, handoff request, draining and
 * completing are not reported as a lost lease.</li>
 * </ul>
 */
@EmbeddedKinesis
class LeaseCoordinatorTest {

    /** For the tests of timing: a lease is held locally for 800 ms after a write. */
    private static final Duration FAILOVER = Duration.ofMillis(1200);

    private static final Duration HELD = FAILOVER.minus(FAILOVER.dividedBy(3));

    /** For the tests that do not wait: nothing expires while they run. */
    private static final Duration LONG_FAILOVER = Duration.ofMinutes(5);

    private static final Predicate<Lease> NONE = lease -> false;

    private LocalKinesis local;

    private String tableName;

    private DynamoDbLeaseTable clean;

    private final List<DynamoDbClient> clients = new ArrayList<>();

    private final Map<String, RecordingEvents> events = new ConcurrentHashMap<>();

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void createTable(LocalKinesis local) {
        this.local = local;
        tableName = LocalKinesis.uniqueName("leases");
        clean = new DynamoDbLeaseTable(local.dynamoDbClient(), tableName);
        clean.createIfNotExists(BillingMode.PAY_PER_REQUEST, Duration.ofSeconds(10));
        logs.start();
        coordinatorLogger().addAppender(logs);
    }

    @AfterEach
    void deleteTable() {
        coordinatorLogger().detachAppender(logs);
        clients.forEach(DynamoDbClient::close);
        local.dynamoDbClient().deleteTable(request -> request.tableName(tableName));
    }

    private static Logger coordinatorLogger() {
        return (Logger) LoggerFactory.getLogger(LeaseCoordinator.class);
    }

    // --- taking ---

    @Test
    void aLoneWorkerTakesFreeLeasesUpToItsMaximum() {
        create("shard-0", "shard-1", "shard-2", "shard-3", "shard-4");
        LeaseCoordinator a = coordinator("A", clean, LONG_FAILOVER, 3, 1);
        a.takeLeases(scan(), NONE);
        assertThat(heldKeys(a)).hasSize(3);
        for (String key : heldKeys(a)) {
            Lease row = row(key);
            assertThat(row.leaseOwner()).isEqualTo("A");
            assertThat(row.leaseCounter()).isEqualTo(1);
            assertThat(row.ownerSwitchesSinceCheckpoint()).isEqualTo(1);
        }
        assertThat(events("A").all()).hasSize(3).allMatch(event -> event.startsWith("taken "));
        a.takeLeases(scan(), NONE);
        assertThat(heldKeys(a)).hasSize(3);
        assertThat(scan().stream().filter(Lease::isFree)).hasSize(2);
    }

    @Test
    void takesItsFairShareOfFreeLeases() {
        create("shard-0", "shard-1", "shard-2", "shard-3", "shard-4", "shard-5");
        LeaseCoordinator b = coordinator("B", clean, LONG_FAILOVER, 2, 1);
        b.takeLeases(scan(), NONE);
        assertThat(heldKeys(b)).hasSize(2);
        LeaseCoordinator a = coordinator("A", clean, LONG_FAILOVER, 100, 1);
        a.takeLeases(scan(), NONE);
        assertThat(heldKeys(a)).as("ceil(6 leases / 2 workers)").hasSize(3).doesNotContainAnyElementsOf(heldKeys(b));
        a.takeLeases(scan(), NONE);
        assertThat(heldKeys(a)).hasSize(3);
        assertThat(owners()).containsEntry("A", 3L).containsEntry("B", 2L).containsEntry("free", 1L);
        assertThat(events("A").all()).hasSize(3);
    }

    @Test
    void aChildOfAnUnfinishedParentIsNeitherTakenNorCountedUntilTheParentFinishes() {
        create("parent", "free-1", "free-2", "free-3");
        createChild("child-1", "parent");
        createChild("child-2", "parent");
        createChild("child-3", "parent");
        LeaseCoordinator b = coordinator("B", clean, LONG_FAILOVER, 100, 1);
        b.takeLeases(scan(), lease -> !lease.leaseKey().equals("parent"));
        assertThat(heldKeys(b)).containsExactly("parent");
        LeaseCoordinator a = coordinator("A", clean, LONG_FAILOVER, 100, 1);
        a.takeLeases(scan(), NONE);
        // 4 leases count (the parent and the free ones), 2 workers: 2 each. Counting the children would make it 4.
        assertThat(heldKeys(a)).hasSize(2).allMatch(key -> key.startsWith("free-"));
        assertThat(row("child-1").isFree() && row("child-2").isFree() && row("child-3").isFree()).isTrue();

        b.checkpoint("parent", token(b, "parent"), ExtendedSequenceNumber.SHARD_END);
        a.takeLeases(scan(), NONE);
        assertThat(heldKeys(a)).containsExactlyInAnyOrder("free-1", "free-2", "free-3", "child-1", "child-2",
                "child-3");
    }

    @Test
    void aChildOfAFinishedOrMissingParentIsTakenButNeverAFinishedLease() {
        clean.createLeaseIfNotExists(new Lease("done", null, 7, 0, ExtendedSequenceNumber.SHARD_END, null, Set.of(),
                Set.of("child-of-done"), null, null));
        createChild("child-of-done", "done");
        createChild("child-of-gone", "gone");
        LeaseCoordinator a = coordinator("A", LONG_FAILOVER);
        a.takeLeases(scan(), NONE);
        assertThat(heldKeys(a)).containsExactlyInAnyOrder("child-of-done", "child-of-gone");
        assertThat(row("done").isFree()).isTrue();
        assertThat(row("done").leaseCounter()).isEqualTo(7);
    }

    @Test
    void excludedLeasesAreNotTaken() {
        create("shard-0", "shard-1");
        LeaseCoordinator a = coordinator("A", LONG_FAILOVER);
        a.takeLeases(scan(), lease -> lease.leaseKey().equals("shard-0"));
        assertThat(heldKeys(a)).containsExactly("shard-1");
        assertThat(row("shard-0").isFree()).isTrue();
        a.takeLeases(scan(), NONE);
        assertThat(heldKeys(a)).containsExactlyInAnyOrder("shard-0", "shard-1");
    }

    @Test
    void aSilentWorkersLeaseIsTakenOnceItsCounterStoodStillForTheFailoverTime() {
        create("shard-0");
        LeaseCoordinator b = coordinator("B", FAILOVER);
        b.takeLeases(scan(), NONE);
        b.abandonAll();
        LeaseCoordinator a = coordinator("A", FAILOVER);
        long firstSeen = System.nanoTime();
        AtomicLong tookBy = new AtomicLong();
        await().atMost(FAILOVER.multipliedBy(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
            a.takeLeases(scan(), NONE);
            tookBy.set(System.nanoTime());
            return a.heldLease("shard-0").isPresent();
        });
        assertThat(Duration.ofNanos(tookBy.get() - firstSeen)).isGreaterThan(FAILOVER);
        Lease row = row("shard-0");
        assertThat(row.leaseOwner()).isEqualTo("A");
        assertThat(row.isHandoffPending()).as("taken, not asked for").isFalse();
        assertThat(row.ownerSwitchesSinceCheckpoint()).isEqualTo(2);
        assertThat(events("A").all()).containsExactly("taken shard-0");
    }

    @Test
    void aLiveWorkersOnlyLeaseIsNeitherTakenNorAskedFor() {
        create("shard-0");
        LeaseCoordinator b = coordinator("B", FAILOVER);
        b.takeLeases(scan(), NONE);
        LeaseCoordinator a = coordinator("A", FAILOVER);
        long until = System.nanoTime() + FAILOVER.multipliedBy(2).toNanos();
        while (System.nanoTime() < until) {
            b.renewLeases();
            a.takeLeases(scan(), NONE);
            assertThat(a.heldLeases()).isEmpty();
            sleep(Duration.ofMillis(100));
        }
        assertThat(row("shard-0").leaseOwner()).isEqualTo("B");
        assertThat(row("shard-0").isHandoffPending()).isFalse();
        assertThat(b.isHeld("shard-0", token(b, "shard-0"))).isTrue();
        assertThat(events("B").all()).containsExactly("taken shard-0");
    }

    @Test
    void aRestartedWorkerTakesBackItsOwnLeasesAtOnce() {
        create("shard-0");
        LeaseCoordinator before = coordinator("A", LONG_FAILOVER);
        before.takeLeases(scan(), NONE);
        UUID oldToken = token(before, "shard-0");
        before.abandonAll();
        LeaseCoordinator after = coordinator("A", LONG_FAILOVER);
        after.takeLeases(scan(), NONE);
        assertThat(heldKeys(after)).containsExactly("shard-0");
        assertThat(token(after, "shard-0")).isNotEqualTo(oldToken);
        assertThat(row("shard-0").leaseCounter()).isEqualTo(2);
        assertThat(row("shard-0").ownerSwitchesSinceCheckpoint()).as("the same owner").isEqualTo(1);
    }

    // --- handoff ---

    @Test
    void aLeaseOfABusierLiveWorkerIsAskedForNotGrabbed() {
        LeaseCoordinator b = coordinator("B", LONG_FAILOVER);
        LeaseCoordinator a = coordinator("A", LONG_FAILOVER);
        Handoff handoff = handoffAskedFor(a, b);
        Lease row = row(handoff.key());
        assertThat(row.leaseOwner()).isEqualTo("A");
        assertThat(row.checkpointOwner()).isEqualTo("B");
        assertThat(row.leaseCounter()).isEqualTo(2);
        assertThat(a.heldLeases()).isEmpty();
        assertThat(events("A").all()).isEmpty();
        assertThat(heldKeys(b)).hasSize(4);
        assertThat(scan().stream().filter(Lease::isHandoffPending)).as("one at a time (max leases to steal)")
                .hasSize(1);
    }

    @Test
    void theOwnersNextRenewalFindsTheRequestAndKeepsTheLeaseHeldAndDraining() {
        LeaseCoordinator b = coordinator("B", LONG_FAILOVER);
        LeaseCoordinator a = coordinator("A", LONG_FAILOVER);
        String key = handoffAskedFor(a, b).key();
        UUID token = token(b, key);
        Lease asLastWritten = b.heldLease(key).orElseThrow().lease();
        assertThatThrownBy(() -> clean.renew(asLastWritten)).isInstanceOf(HandoffRequestedException.class)
                .satisfies(ex -> {
                    Lease current = ((HandoffRequestedException) ex).current();
                    assertThat(current.leaseOwner()).isEqualTo("A");
                    assertThat(current.checkpointOwner()).isEqualTo("B");
                });
        assertThat(b.isHandingOver(key)).as("not known before a write").isFalse();

        b.renewLeases();
        assertThat(b.isHandingOver(key)).isTrue();
        assertThat(b.isHeld(key, token)).isTrue();
        assertThat(heldKeys(b)).hasSize(4);
        b.renewLeases();
        Lease checkpointed = b.checkpoint(key, token, ExtendedSequenceNumber.of("4242"));
        assertThat(checkpointed.checkpoint()).isEqualTo(ExtendedSequenceNumber.of("4242"));
        Lease row = row(key);
        assertThat(row.checkpoint()).isEqualTo(ExtendedSequenceNumber.of("4242"));
        assertThat(row.leaseOwner()).isEqualTo("A");
        assertThat(row.checkpointOwner()).isEqualTo("B");
        assertThat(row.leaseCounter()).as("request, two renewals, a checkpoint").isEqualTo(5);
        assertThat(events("B").all()).filteredOn(event -> !event.startsWith("taken "))
                .containsExactly("handoff " + key);

        a.takeLeases(scan(), NONE);
        assertThat(a.heldLeases()).as("not before the owner released it").isEmpty();
        assertThat(b.isHandingOver(key)).isTrue();
    }

    @Test
    void renewalsThroughAnAsyncClientMoveCountersFindHandoffsAndLosses() {
        try (DynamoDbAsyncClient async = local.configure(DynamoDbAsyncClient.builder(), local.dynamoDbEndpoint())
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()).build()) {
            DynamoDbLeaseTable asyncTable = new DynamoDbLeaseTable(local.dynamoDbClient(), async, tableName,
                    LONG_FAILOVER);
            LeaseCoordinator b = coordinator("B", asyncTable, LONG_FAILOVER, 100, 1);
            LeaseCoordinator a = coordinator("A", LONG_FAILOVER);
            String handedOver = handoffAskedFor(a, b).key();
            UUID token = token(b, handedOver);
            Map<String, Long> before = new HashMap<>();
            scan().forEach(lease -> before.put(lease.leaseKey(), lease.leaseCounter()));

            b.renewLeases();
            assertThat(b.isHandingOver(handedOver)).as("found by the async renewal, taken in on the pool").isTrue();
            assertThat(b.isHeld(handedOver, token)).isTrue();
            assertThat(row(handedOver).checkpointOwner()).isEqualTo("B");
            assertThat(row(handedOver).leaseCounter()).as("renewed again as its draining owner")
                    .isEqualTo(before.get(handedOver) + 1);
            for (String key : heldKeys(b)) {
                if (!key.equals(handedOver)) {
                    assertThat(row(key).leaseCounter()).as(key).isEqualTo(before.get(key) + 1);
                    assertThat(b.heldLease(key).orElseThrow().lease().leaseCounter()).as(key)
                            .isEqualTo(before.get(key) + 1);
                }
            }

            String stolen = heldKeys(b).stream().filter(key -> !key.equals(handedOver)).sorted().findFirst()
                    .orElseThrow();
            UUID stolenToken = token(b, stolen);
            clean.take(row(stolen), "C");
            b.renewLeases();
            assertThat(b.heldLease(stolen)).as("the failed condition, settled on the pool, drops it").isEmpty();
            assertThat(b.isHeld(stolen, stolenToken)).isFalse();
            assertThat(events("B").all()).filteredOn(event -> !event.startsWith("taken "))
                    .containsExactly("handoff " + handedOver, "lost " + stolen);
            assertThat(row(stolen).leaseOwner()).isEqualTo("C");
            assertThat(heldKeys(b)).hasSize(3);
        }
    }

    @Test
    void releasingCompletesTheHandoffAndTheRequesterTakesTheLeaseAtItsNextRound() {
        LeaseCoordinator b = coordinator("B", LONG_FAILOVER);
        LeaseCoordinator a = coordinator("A", LONG_FAILOVER);
        String key = handoffAskedFor(a, b).key();
        b.renewLeases();
        UUID token = token(b, key);
        b.checkpoint(key, token, ExtendedSequenceNumber.of("77"));
        b.release(key, token);
        assertThat(b.heldLease(key)).isEmpty();
        assertThat(heldKeys(b)).hasSize(3);
        Lease row = row(key);
        assertThat(row.leaseOwner()).isEqualTo("A");
        assertThat(row.isHandoffPending()).isFalse();

        a.takeLeases(scan(), NONE);
        assertThat(heldKeys(a)).containsExactly(key);
        assertThat(events("A").all()).containsExactly("taken " + key);
        assertThat(a.checkpoint(key, token(a, key), ExtendedSequenceNumber.of("78")).checkpoint())
                .isEqualTo(ExtendedSequenceNumber.of("78"));
        assertThat(events("B").all()).filteredOn(event -> !event.startsWith("taken "))
                .containsExactly("handoff " + key);
        assertThat(logMessages()).contains("Handed lease " + key + " over to A");
    }

    @Test
    void aRequestFoundByACheckpointIsTakenInThere() {
        LeaseCoordinator b = coordinator("B", LONG_FAILOVER);
        LeaseCoordinator a = coordinator("A", LONG_FAILOVER);
        String key = handoffAskedFor(a, b).key();
        UUID token = token(b, key);
        b.checkpoint(key, token, ExtendedSequenceNumber.of("5"));
        assertThat(b.isHandingOver(key)).isTrue();
        assertThat(row(key).checkpoint()).isEqualTo(ExtendedSequenceNumber.of("5"));
        b.renewLeases();
        b.checkpoint(key, token, ExtendedSequenceNumber.of("6"));
        assertThat(row(key).checkpointOwner()).isEqualTo("B");
        assertThat(events("B").all()).filteredOn(event -> event.startsWith("handoff "))
                .containsExactly("handoff " + key);
    }

    @Test
    void aRequestFoundByTheReleaseIsCompletedByIt() {
        LeaseCoordinator b = coordinator("B", LONG_FAILOVER);
        LeaseCoordinator a = coordinator("A", LONG_FAILOVER);
        String key = handoffAskedFor(a, b).key();
        b.release(key, token(b, key));
        assertThat(row(key).leaseOwner()).isEqualTo("A");
        assertThat(row(key).isHandoffPending()).isFalse();
        a.takeLeases(scan(), NONE);
        assertThat(heldKeys(a)).containsExactly(key);
        assertThat(events("B").all()).filteredOn(event -> !event.startsWith("taken "))
                .containsExactly("handoff " + key);
    }

    @Test
    void anOwnerThatKeepsDrainingPastTheFailoverTimeIsTakenOver() {
        LeaseCoordinator b = coordinator("B", FAILOVER);
        LeaseCoordinator a = coordinator("A", FAILOVER);
        Handoff handoff = handoffAskedFor(a, b);
        String key = handoff.key();
        UUID token = token(b, key);
        AtomicLong tookBy = new AtomicLong();
        await().atMost(FAILOVER.multipliedBy(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
            b.renewLeases();
            a.takeLeases(scan(), NONE);
            tookBy.set(System.nanoTime());
            return a.heldLease(key).isPresent();
        });
        assertThat(Duration.ofNanos(tookBy.get() - handoff.askedNanos())).isGreaterThan(FAILOVER);
        Lease row = row(key);
        assertThat(row.leaseOwner()).isEqualTo("A");
        assertThat(row.isHandoffPending()).isFalse();
        assertThat(events("A").all()).containsExactly("taken " + key);

        assertThatThrownBy(() -> b.checkpoint(key, token, ExtendedSequenceNumber.of("9")))
                .isInstanceOf(LeaseLostException.class);
        b.renewLeases();
        assertThat(b.heldLease(key)).isEmpty();
        assertThat(heldKeys(b)).hasSize(3);
        assertThat(events("B").all()).filteredOn(event -> event.endsWith(" " + key))
                .containsExactly("taken " + key, "handoff " + key, "lost " + key);
    }

    @Test
    void anOwnerThatWentSilentAfterTheRequestIsTakenOver() {
        LeaseCoordinator b = coordinator("B", FAILOVER);
        LeaseCoordinator a = coordinator("A", FAILOVER);
        Handoff handoff = handoffAskedFor(a, b);
        b.abandonAll();
        AtomicLong tookBy = new AtomicLong();
        await().atMost(FAILOVER.multipliedBy(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
            a.takeLeases(scan(), NONE);
            tookBy.set(System.nanoTime());
            return a.heldLease(handoff.key()).isPresent();
        });
        assertThat(Duration.ofNanos(tookBy.get() - handoff.askedNanos())).isGreaterThan(FAILOVER);
        assertThat(row(handoff.key()).leaseOwner()).isEqualTo("A");
        assertThat(row(handoff.key()).isHandoffPending()).isFalse();
    }

    // --- renewal and local expiry ---

    @Test
    void aLeaseRenewedInTimeStaysHeld() {
        create("shard-0");
        LeaseCoordinator a = coordinator("A", FAILOVER);
        a.takeLeases(scan(), NONE);
        UUID token = token(a, "shard-0");
        for (int round = 0; round < 6; round++) {
            sleep(FAILOVER.dividedBy(4));
            a.renewLeases();
            assertThat(a.isHeld("shard-0", token)).isTrue();
        }
        assertThat(row("shard-0").leaseCounter()).isEqualTo(7);
        assertThat(events("A").all()).containsExactly("taken shard-0");
    }

    @Test
    void aLeaseNotRenewedForTwoThirdsOfTheFailoverTimeIsNotHeldAndTheNextRoundDropsIt() {
        create("shard-0");
        LeaseCoordinator a = coordinator("A", FAILOVER);
        long before = System.nanoTime();
        a.takeLeases(scan(), NONE);
        long after = System.nanoTime();
        UUID token = token(a, "shard-0");
        boolean held = a.isHeld("shard-0", token);
        if (System.nanoTime() - before < HELD.toNanos()) {
            assertThat(held).isTrue();
        }
        sleepUntil(after + HELD.plusMillis(30).toNanos());
        assertThat(a.isHeld("shard-0", token)).isFalse();
        assertThatThrownBy(() -> a.checkpoint("shard-0", token, ExtendedSequenceNumber.of("1")))
                .isInstanceOf(LeaseLostException.class);

        a.renewLeases();
        assertThat(a.heldLease("shard-0")).isEmpty();
        assertThat(events("A").all()).containsExactly("taken shard-0", "lost shard-0");
        Lease row = row("shard-0");
        assertThat(row.leaseCounter()).as("dropped, not renewed").isEqualTo(1);
        assertThat(row.checkpoint()).isEqualTo(ExtendedSequenceNumber.TRIM_HORIZON);
    }

    @Test
    void renewalsThatFailDoNotKeepALeaseHeldAndLastRenewalStandsStill() {
        create("shard-0");
        Faults faults = new Faults();
        LeaseCoordinator a = coordinator("A", faultyTable(faults, false), FAILOVER, 100, 1);
        a.takeLeases(scan(), NONE);
        UUID token = token(a, "shard-0");
        long before = System.nanoTime();
        a.renewLeases();
        long after = System.nanoTime();
        Instant renewed = a.lastRenewal();
        assertThat(renewed).isNotNull();

        faults.unreachable(true);
        long droppedBy = 0;
        while (droppedBy == 0) {
            long roundStart = System.nanoTime();
            boolean held = a.isHeld("shard-0", token);
            if (roundStart - after > HELD.toNanos()) {
                assertThat(held).as("not held %s ms after the last renewal", (roundStart - after) / 1_000_000).isFalse();
            }
            a.renewLeases();
            assertThat(a.lastRenewal()).isEqualTo(renewed);
            if (a.heldLease("shard-0").isEmpty()) {
                droppedBy = System.nanoTime();
            }
            else {
                assertThat(roundStart - after).as("the round after the lease stopped being held drops it")
                        .isLessThanOrEqualTo(HELD.toNanos());
            }
            sleep(Duration.ofMillis(100));
        }
        assertThat(droppedBy - before).isGreaterThan(HELD.toNanos());
        assertThat(events("A").all()).containsExactly("taken shard-0", "lost shard-0");

        faults.unreachable(false);
        assertThat(row("shard-0").leaseCounter()).as("no failed renewal landed").isEqualTo(2);
        a.renewLeases();
        assertThat(a.lastRenewal()).as("a round without leases proves nothing").isEqualTo(renewed);
        a.takeLeases(scan(), NONE);
        assertThat(a.lastRenewal()).as("the table was read").isAfter(renewed);
        assertThat(token(a, "shard-0")).as("its own lease, taken back in a new tenure").isNotEqualTo(token);
        assertThatThrownBy(() -> a.checkpoint("shard-0", token, ExtendedSequenceNumber.of("1")))
                .isInstanceOf(LeaseLostException.class);
    }

    @Test
    void aTableThatThrowsInsteadOfFailingItsFutureStillLetsTheNextRenewalRun() {
        create("shard-0");
        AtomicInteger throwsLeft = new AtomicInteger(1);
        DynamoDbLeaseTable throwing = new DynamoDbLeaseTable(local.dynamoDbClient(), tableName) {
            @Override
            public CompletableFuture<Lease> renewAsync(Lease held, Executor blocking) {
                if (throwsLeft.getAndDecrement() > 0) {
                    throw new IllegalStateException("thrown by the table, not through its future");
                }
                return super.renewAsync(held, blocking);
            }
        };
        LeaseCoordinator a = coordinator("A", throwing, FAILOVER, 100, 1);
        a.takeLeases(scan(), NONE);
        long counter = row("shard-0").leaseCounter();

        a.renewLeases();
        assertThat(row("shard-0").leaseCounter()).as("the renewal that threw wrote nothing").isEqualTo(counter);
        assertThat(logMessages()).anyMatch(message -> message.startsWith("Could not renew lease shard-0"));
        // Tried again after a fifth of the renewal interval (80 ms here), before the lease stops being held: the
        // claim of the renewal that threw was released, so the next one is sent.
        await().atMost(HELD).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            a.renewLeases();
            assertThat(row("shard-0").leaseCounter()).isGreaterThan(counter);
        });
        assertThat(heldKeys(a)).containsExactly("shard-0");
    }

    enum SlowWrite {
        TAKE, RENEWAL, CHECKPOINT
    }

    @ParameterizedTest
    @EnumSource(SlowWrite.class)
    void aWriteWhoseAnswerCameLateCountsFromBeforeItLanded(SlowWrite write) {
        create("shard-0");
        Faults faults = new Faults();
        LeaseCoordinator a = coordinator("A", faultyTable(faults, false), FAILOVER, 100, 1);
        if (write == SlowWrite.TAKE) {
            faults.delayNextAnswer("shard-0", FAILOVER.dividedBy(2));
        }
        a.takeLeases(scan(), NONE);
        UUID token = token(a, "shard-0");
        if (write != SlowWrite.TAKE) {
            faults.delayNextAnswer("shard-0", FAILOVER.dividedBy(2));
        }
        if (write == SlowWrite.RENEWAL) {
            a.renewLeases();
        }
        else if (write == SlowWrite.CHECKPOINT) {
            a.checkpoint("shard-0", token, ExtendedSequenceNumber.of("12"));
        }
        assertThat(row("shard-0").leaseCounter()).as("the write landed").isEqualTo(write == SlowWrite.TAKE ? 1 : 2);
        long landedBy = faults.answeredAtNanos();
        assertThat(landedBy).isPositive();
        // Peers count the failover time from when they see the new counter: after it landed, maybe right after.
        sleepUntil(landedBy + HELD.plusMillis(20).toNanos());
        assertThat(a.isHeld("shard-0", token))
                .as("held at most the failover time minus a third after the write landed").isFalse();
    }

    @Test
    void aRoundInWhichOneRenewalFailedIsNotARenewal() {
        create("shard-0", "shard-1");
        Faults faults = new Faults();
        LeaseCoordinator a = coordinator("A", faultyTable(faults, false), LONG_FAILOVER, 100, 1);
        a.takeLeases(scan(), NONE);
        a.renewLeases();
        Instant renewed = a.lastRenewal();
        faults.failUpdatesOf("shard-1");
        a.renewLeases();
        assertThat(row("shard-0").leaseCounter()).as("renewed").isEqualTo(3);
        assertThat(row("shard-1").leaseCounter()).as("not renewed").isEqualTo(2);
        assertThat(a.lastRenewal()).isEqualTo(renewed);
        assertThat(heldKeys(a)).as("kept until it is no longer held").containsExactlyInAnyOrder("shard-0", "shard-1");
        faults.failUpdatesOf(null);
        a.renewLeases();
        assertThat(a.lastRenewal()).isAfter(renewed);
    }

    @Test
    void lastRenewal() {
        create("shard-0", "shard-1");
        LeaseCoordinator a = coordinator("A", LONG_FAILOVER);
        assertThat(a.lastRenewal()).isNull();
        a.renewLeases();
        assertThat(a.lastRenewal()).as("a round without leases").isNull();
        Instant beforeScan = Instant.now();
        a.takeLeases(List.of(), NONE);
        Instant scanned = a.lastRenewal();
        assertThat(scanned).as("nothing held: reading the table counts").isNotNull().isAfterOrEqualTo(beforeScan);

        a.takeLeases(scan(), NONE);
        Instant took = a.lastRenewal();
        assertThat(took).isAfterOrEqualTo(scanned);
        a.takeLeases(scan(), NONE);
        assertThat(a.lastRenewal()).as("leases held: only renewals count").isEqualTo(took);
        Instant beforeRenewal = Instant.now();
        a.renewLeases();
        Instant renewed = a.lastRenewal();
        assertThat(renewed).isAfterOrEqualTo(beforeRenewal);

        clean.take(row("shard-1"), "B");
        Instant beforeLoss = Instant.now();
        a.renewLeases();
        assertThat(a.lastRenewal()).as("DynamoDB answered for every lease").isAfterOrEqualTo(beforeLoss);
        assertThat(heldKeys(a)).containsExactly("shard-0");
    }

    // --- lost leases ---

    @Test
    void aCheckpointOfALeaseAnotherWorkerTookThrowsAndDropsIt() {
        create("shard-0");
        LeaseCoordinator a = coordinator("A", LONG_FAILOVER);
        a.takeLeases(scan(), NONE);
        UUID token = token(a, "shard-0");
        clean.take(row("shard-0"), "B");
        assertThatThrownBy(() -> a.checkpoint("shard-0", token, ExtendedSequenceNumber.of("3")))
                .isInstanceOf(LeaseLostException.class);
        assertThat(a.heldLease("shard-0")).isEmpty();
        assertThat(a.isHeld("shard-0", token)).isFalse();
        assertThatThrownBy(() -> a.checkpoint("shard-0", token, ExtendedSequenceNumber.of("3")))
                .isInstanceOf(LeaseLostException.class);
        assertThat(events("A").all()).containsExactly("taken shard-0", "lost shard-0");
        assertThat(row("shard-0").leaseOwner()).isEqualTo("B");
        assertThat(row("shard-0").checkpoint()).isEqualTo(ExtendedSequenceNumber.TRIM_HORIZON);
    }

    @Test
    void aRenewalRoundDropsOnlyTheLeasesAnotherWorkerTook() {
        create("shard-0", "shard-1");
        LeaseCoordinator a = coordinator("A", LONG_FAILOVER);
        a.takeLeases(scan(), NONE);
        clean.take(row("shard-0"), "B");
        a.renewLeases();
        assertThat(heldKeys(a)).containsExactly("shard-1");
        assertThat(row("shard-1").leaseCounter()).isEqualTo(2);
        assertThat(row("shard-0").leaseOwner()).isEqualTo("B");
        assertThat(events("A").all()).filteredOn(event -> event.startsWith("lost ")).containsExactly("lost shard-0");
    }

    @Test
    void theTokenOfAnEarlierTenureCanNeitherCheckpointNorRelease() {
        create("shard-0");
        LeaseCoordinator a = coordinator("A", LONG_FAILOVER);
        a.takeLeases(scan(), NONE);
        UUID first = token(a, "shard-0");
        a.release("shard-0", first);
        a.takeLeases(scan(), NONE);
        UUID second = token(a, "shard-0");
        assertThat(second).isNotEqualTo(first);
        assertThat(a.isHeld("shard-0", first)).isFalse();
        assertThatThrownBy(() -> a.checkpoint("shard-0", first, ExtendedSequenceNumber.of("3")))
                .isInstanceOf(LeaseLostException.class);
        long counter = row("shard-0").leaseCounter();
        a.release("shard-0", first);
        assertThat(row("shard-0").leaseCounter()).isEqualTo(counter);
        assertThat(row("shard-0").leaseOwner()).isEqualTo("A");
        assertThat(a.isHeld("shard-0", second)).isTrue();
    }

    // --- release ---

    @Test
    void aReleasedLeaseIsFreeForPeersAtOnce() {
        create("shard-0");
        LeaseCoordinator a = coordinator("A", LONG_FAILOVER);
        a.takeLeases(scan(), NONE);
        a.release("shard-0", token(a, "shard-0"));
        assertThat(a.heldLeases()).isEmpty();
        Lease row = row("shard-0");
        assertThat(row.isFree()).isTrue();
        assertThat(row.leaseCounter()).isEqualTo(2);
        LeaseCoordinator b = coordinator("B", LONG_FAILOVER);
        b.takeLeases(scan(), NONE);
        assertThat(heldKeys(b)).containsExactly("shard-0");
        assertThat(events("A").all()).containsExactly("taken shard-0");
        assertThat(logMessages()).contains("Released lease shard-0");
    }

    // --- writes that landed although the call failed ---

    @ParameterizedTest
    @EnumSource(Ambiguity.class)
    void aTakeThatLandedIsHeld(Ambiguity ambiguity) {
        create("shard-0");
        Faults faults = new Faults();
        LeaseCoordinator a = coordinator("A", faultyTable(faults, ambiguity.sdkRetries), LONG_FAILOVER, 100, 1);
        faults.loseNextAnswer(ambiguity, "shard-0");
        a.takeLeases(scan(), NONE);
        faults.assertInjected(ambiguity);
        assertThat(heldKeys(a)).containsExactly("shard-0");
        assertThat(row("shard-0").leaseOwner()).isEqualTo("A");
        assertThat(row("shard-0").leaseCounter()).isEqualTo(1);
        a.renewLeases();
        assertThat(row("shard-0").leaseCounter()).isEqualTo(2);
        assertThat(events("A").all()).containsExactly("taken shard-0");
    }

    @ParameterizedTest
    @EnumSource(Ambiguity.class)
    void aRenewalThatLandedKeepsTheLease(Ambiguity ambiguity) {
        create("shard-0");
        Faults faults = new Faults();
        LeaseCoordinator a = coordinator("A", faultyTable(faults, ambiguity.sdkRetries), LONG_FAILOVER, 100, 1);
        a.takeLeases(scan(), NONE);
        faults.loseNextAnswer(ambiguity, "shard-0");
        Instant before = Instant.now();
        a.renewLeases();
        faults.assertInjected(ambiguity);
        assertThat(a.isHeld("shard-0", token(a, "shard-0"))).isTrue();
        assertThat(a.lastRenewal()).isAfterOrEqualTo(before);
        // An owner's write increments the counter with ADD on condition of ownership only: a retry of a write that had
        // landed succeeds again, so the counter may have moved twice; what matters is that it moved.
        long afterLostAnswer = row("shard-0").leaseCounter();
        assertThat(afterLostAnswer).isGreaterThanOrEqualTo(2);
        a.renewLeases();
        assertThat(row("shard-0").leaseCounter()).isEqualTo(afterLostAnswer + 1);
        assertThat(events("A").all()).containsExactly("taken shard-0");
    }

    @ParameterizedTest
    @EnumSource(Ambiguity.class)
    void aCheckpointThatLandedIsStored(Ambiguity ambiguity) {
        create("shard-0");
        Faults faults = new Faults();
        LeaseCoordinator a = coordinator("A", faultyTable(faults, ambiguity.sdkRetries), LONG_FAILOVER, 100, 1);
        a.takeLeases(scan(), NONE);
        UUID token = token(a, "shard-0");
        faults.loseNextAnswer(ambiguity, "shard-0");
        Lease updated = a.checkpoint("shard-0", token, ExtendedSequenceNumber.of("42", 3));
        faults.assertInjected(ambiguity);
        assertThat(updated.checkpoint()).isEqualTo(ExtendedSequenceNumber.of("42", 3));
        Lease row = row("shard-0");
        assertThat(row.checkpoint()).isEqualTo(ExtendedSequenceNumber.of("42", 3));
        long afterLostAnswer = row.leaseCounter();
        assertThat(afterLostAnswer).as("moved once, or twice when the SDK retried a landed write").isBetween(2L, 3L);
        assertThat(row.ownerSwitchesSinceCheckpoint()).isZero();
        a.checkpoint("shard-0", token, ExtendedSequenceNumber.of("43"));
        assertThat(row("shard-0").leaseCounter()).isEqualTo(afterLostAnswer + 1);
        assertThat(events("A").all()).containsExactly("taken shard-0");
    }

    @ParameterizedTest
    @EnumSource(Ambiguity.class)
    void aReleaseThatLandedIsReportedAsReleased(Ambiguity ambiguity) {
        create("shard-0");
        Faults faults = new Faults();
        LeaseCoordinator a = coordinator("A", faultyTable(faults, ambiguity.sdkRetries), LONG_FAILOVER, 100, 1);
        a.takeLeases(scan(), NONE);
        faults.loseNextAnswer(ambiguity, "shard-0");
        a.release("shard-0", token(a, "shard-0"));
        faults.assertInjected(ambiguity);
        assertThat(row("shard-0").isFree()).isTrue();
        assertThat(row("shard-0").leaseCounter()).isEqualTo(2);
        assertThat(logMessages()).contains("Released lease shard-0")
                .noneMatch(message -> message.contains("taken by another worker") || message.contains("Could not"));
        assertThat(events("A").all()).containsExactly("taken shard-0");
    }

    @ParameterizedTest
    @EnumSource(Ambiguity.class)
    void aHandoffWhoseWritesLandedCompletes(Ambiguity ambiguity) {
        Faults faultsOfA = new Faults();
        Faults faultsOfB = new Faults();
        LeaseCoordinator b = coordinator("B", faultyTable(faultsOfB, ambiguity.sdkRetries), LONG_FAILOVER, 100, 1);
        LeaseCoordinator a = coordinator("A", faultyTable(faultsOfA, ambiguity.sdkRetries), LONG_FAILOVER, 100, 1);
        create("shard-0", "shard-1", "shard-2", "shard-3");
        b.takeLeases(scan(), NONE);

        faultsOfA.loseNextAnswer(ambiguity, null);
        a.takeLeases(scan(), NONE);
        faultsOfA.assertInjected(ambiguity);
        String key = scan().stream().filter(Lease::isHandoffPending).map(Lease::leaseKey).findFirst().orElseThrow();
        assertThat(logMessages()).contains("Asked B to hand over lease " + key)
                .noneMatch(message -> message.contains("Could not ask"));

        faultsOfB.loseNextAnswer(ambiguity, key);
        b.renewLeases();
        assertThat(faultsOfB.injected).hasValue(1);
        assertThat(b.isHandingOver(key)).isTrue();
        UUID token = token(b, key);

        faultsOfB.loseNextAnswer(ambiguity, key);
        b.checkpoint(key, token, ExtendedSequenceNumber.of("99"));
        faultsOfB.assertInjected(ambiguity);

        faultsOfB.loseNextAnswer(ambiguity, key);
        b.release(key, token);
        faultsOfB.assertInjected(ambiguity);
        assertThat(logMessages()).contains("Handed lease " + key + " over to A");

        faultsOfA.loseNextAnswer(ambiguity, key);
        a.takeLeases(scan(), NONE);
        faultsOfA.assertInjected(ambiguity);
        assertThat(heldKeys(a)).containsExactly(key);
        Lease row = row(key);
        assertThat(row.leaseOwner()).isEqualTo("A");
        assertThat(row.isHandoffPending()).isFalse();
        assertThat(row.checkpoint()).isEqualTo(ExtendedSequenceNumber.of("99"));
        // take, request, renewal, checkpoint, release, take: at least six moves (an owner's retried write may count
        // twice, see aRenewalThatLandedKeepsTheLease).
        assertThat(row.leaseCounter()).isBetween(6L, 9L);
        assertThat(events("B").all()).filteredOn(event -> !event.startsWith("taken "))
                .containsExactly("handoff " + key);
        assertThat(events("A").all()).containsExactly("taken " + key);
        assertThat(logMessages()).noneMatch(message -> message.startsWith("Lost lease")
                || message.contains("taken by another worker"));
    }

    // --- helpers ---

    private record Handoff(String key, long askedNanos) {
    }

    /** B holds four leases; A, holding none, asks for one (one per round: max leases to steal is 1). */
    private Handoff handoffAskedFor(LeaseCoordinator a, LeaseCoordinator b) {
        create("shard-0", "shard-1", "shard-2", "shard-3");
        b.takeLeases(scan(), NONE);
        assertThat(heldKeys(b)).hasSize(4);
        long asked = System.nanoTime();
        a.takeLeases(scan(), NONE);
        List<Lease> pending = scan().stream().filter(Lease::isHandoffPending).toList();
        assertThat(pending).hasSize(1);
        return new Handoff(pending.get(0).leaseKey(), asked);
    }

    private LeaseCoordinator coordinator(String workerId, LeaseTable table, Duration failover, int maxLeases,
            int maxLeasesToSteal) {
        return new LeaseCoordinator(table, workerId, failover, maxLeases, maxLeasesToSteal, events(workerId), Runnable::run);
    }

    private LeaseCoordinator coordinator(String workerId, Duration failover) {
        return coordinator(workerId, clean, failover, 100, 1);
    }

    private DynamoDbLeaseTable faultyTable(Faults faults, boolean sdkRetries) {
        DynamoDbClient client = local.configure(DynamoDbClient.builder(), local.dynamoDbEndpoint())
                .overrideConfiguration(config -> {
                    config.addExecutionInterceptor(faults);
                    if (!sdkRetries) {
                        config.retryStrategy(DefaultRetryStrategy.doNotRetry());
                    }
                })
                .build();
        clients.add(client);
        return new DynamoDbLeaseTable(client, tableName);
    }

    private RecordingEvents events(String workerId) {
        return events.computeIfAbsent(workerId, id -> new RecordingEvents());
    }

    private void create(String... keys) {
        for (String key : keys) {
            assertThat(clean.createLeaseIfNotExists(
                    Lease.newLease(key, ExtendedSequenceNumber.TRIM_HORIZON, Set.of(), null, null))).isTrue();
        }
    }

    private void createChild(String key, String... parents) {
        clean.createLeaseIfNotExists(
                Lease.newLease(key, ExtendedSequenceNumber.TRIM_HORIZON, Set.of(parents), null, null));
    }

    private Lease row(String key) {
        return clean.getLease(key).orElseThrow();
    }

    private List<Lease> scan() {
        return clean.listLeases();
    }

    private Map<String, Long> owners() {
        return scan().stream().collect(Collectors.groupingBy(lease -> lease.isFree() ? "free" : lease.leaseOwner(),
                Collectors.counting()));
    }

    private static Set<String> heldKeys(LeaseCoordinator coordinator) {
        return coordinator.heldLeases().stream().map(view -> view.lease().leaseKey()).collect(Collectors.toSet());
    }

    private static UUID token(LeaseCoordinator coordinator, String key) {
        return coordinator.heldLease(key).orElseThrow().token();
    }

    private List<String> logMessages() {
        return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static void sleepUntil(long nanoTime) {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            sleep(Duration.ofNanos(left).plusMillis(1));
        }
    }

    /** The events one worker's coordinator reported, in order. */
    static final class RecordingEvents implements LeaseEvents {

        private final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void leaseTaken(String leaseKey) {
            events.add("taken " + leaseKey);
        }

        @Override
        public void leaseLost(String leaseKey) {
            events.add("lost " + leaseKey);
        }

        @Override
        public void handoffRequested(String leaseKey) {
            events.add("handoff " + leaseKey);
        }

        List<String> all() {
            return List.copyOf(events);
        }
    }

    /** How the answer of a write that landed is lost. */
    enum Ambiguity {

        /** The answer became an HTTP 500; the SDK retried, and the retry failed its condition (the write had landed). */
        HTTP_500_THEN_RETRY_FAILS_ITS_CONDITION(true, 2),

        /** The answer became an HTTP 500, not retried. */
        HTTP_500(false, 1),

        /** The call failed after the write landed (its answer lost on the way back). */
        FAILED_AFTER_IT_LANDED(true, 1);

        final boolean sdkRetries;

        final int attempts;

        Ambiguity(boolean sdkRetries, int attempts) {
            this.sdkRetries = sdkRetries;
            this.attempts = attempts;
        }
    }

    /** Faults injected into the calls of one DynamoDB client. */
    static final class Faults implements ExecutionInterceptor {

        private volatile boolean unreachable;

        private volatile @Nullable Ambiguity ambiguity;

        private volatile @Nullable String ambiguousKey;

        private final AtomicInteger ambiguousLeft = new AtomicInteger();

        private volatile boolean countingAttempts;

        final AtomicInteger injected = new AtomicInteger();

        final AtomicInteger updateAttempts = new AtomicInteger();

        private volatile @Nullable String slowKey;

        private volatile long answerDelayMillis;

        private volatile long answeredAtNanos;

        private volatile @Nullable String failingKey;

        /** Every UpdateItem of this lease (none when null) fails before it is sent. */
        void failUpdatesOf(@Nullable String leaseKey) {
            failingKey = leaseKey;
        }

        /** Every call fails before it is sent, as when DynamoDB cannot be reached. */
        void unreachable(boolean value) {
            unreachable = value;
        }

        /**
         * The next successful UpdateItem (of this lease, or any when null) loses its answer this way; the UpdateItem
         * attempts are counted from now on.
         */
        void loseNextAnswer(Ambiguity how, @Nullable String leaseKey) {
            ambiguity = how;
            ambiguousKey = leaseKey;
            injected.set(0);
            updateAttempts.set(0);
            countingAttempts = true;
            ambiguousLeft.set(1);
        }

        /** The answer of the next UpdateItem of this lease arrives, then waits this long before the caller gets it. */
        void delayNextAnswer(String leaseKey, Duration delay) {
            slowKey = leaseKey;
            answerDelayMillis = delay.toMillis();
        }

        /** When the delayed answer had arrived (its write had landed by then). */
        long answeredAtNanos() {
            return answeredAtNanos;
        }

        void assertInjected(Ambiguity how) {
            assertThat(injected).as("faults injected").hasValue(1);
            assertThat(updateAttempts).as("UpdateItem attempts").hasValue(how.attempts);
        }

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (unreachable) {
                throw SdkClientException.create("Unable to execute HTTP request: Connect to dynamodb failed: "
                        + "Connection refused (injected)");
            }
            String failing = failingKey;
            if (failing != null && context.request() instanceof UpdateItemRequest && matches(context, failing)) {
                throw SdkClientException.create("Unable to execute HTTP request: Connect to dynamodb failed: "
                        + "Connection reset (injected)");
            }
        }

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            if (countingAttempts && context.request() instanceof UpdateItemRequest && matches(context, ambiguousKey)) {
                updateAttempts.incrementAndGet();
            }
        }

        @Override
        public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
            long delay = answerDelayMillis;
            if (delay > 0 && context.request() instanceof UpdateItemRequest && matches(context, slowKey)) {
                answerDelayMillis = 0;
                answeredAtNanos = System.nanoTime();
                sleep(Duration.ofMillis(delay));
            }
        }

        @Override
        public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
            SdkHttpResponse response = context.httpResponse();
            Ambiguity how = ambiguity;
            if ((how == Ambiguity.HTTP_500 || how == Ambiguity.HTTP_500_THEN_RETRY_FAILS_ITS_CONDITION)
                    && response.isSuccessful() && context.request() instanceof UpdateItemRequest
                    && matches(context, ambiguousKey) && ambiguousLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                injected.incrementAndGet();
                return response.toBuilder().statusCode(500).statusText("Internal Server Error").build();
            }
            return response;
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if (ambiguity == Ambiguity.FAILED_AFTER_IT_LANDED && context.request() instanceof UpdateItemRequest
                    && matches(context, ambiguousKey) && ambiguousLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                injected.incrementAndGet();
                throw SdkClientException.create("Unable to execute HTTP request: Read timed out (injected after the "
                        + "write landed)");
            }
        }

        private static boolean matches(Context.BeforeExecution context, @Nullable String leaseKey) {
            return leaseKey == null
                    || leaseKey.equals(((UpdateItemRequest) context.request()).key().get("leaseKey").s());
        }
    }
}
