package dev.kclboot.core.lease;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.kclboot.core.executor.ElasticExecutor;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Renewals of a round run concurrently on the renewal executor, and no DynamoDB call is made under a lock that
 * another write of the same lease waits on: a checkpoint goes through while a renewal of its lease hangs.
 */
class ConcurrentRenewalTest {

    private static final LeaseEvents NO_EVENTS = new LeaseEvents() {
        @Override
        public void leaseTaken(String leaseKey) {
        }

        @Override
        public void leaseLost(String leaseKey) {
        }

        @Override
        public void handoffRequested(String leaseKey) {
        }
    };

    /** Renewals that wait at a gate, counting how many wait at once. */
    private static final class GatedTable implements LeaseTable {

        final InMemoryLeaseTable rows = new InMemoryLeaseTable();

        final AtomicInteger inRenewal = new AtomicInteger();

        final AtomicInteger mostAtOnce = new AtomicInteger();

        final AtomicInteger renewals = new AtomicInteger();

        volatile CountDownLatch gate = new CountDownLatch(0);

        @Override
        public Lease renew(Lease held) {
            mostAtOnce.accumulateAndGet(inRenewal.incrementAndGet(), Math::max);
            try {
                gate.await(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            finally {
                inRenewal.decrementAndGet();
            }
            renewals.incrementAndGet();
            return rows.renew(held);
        }

        @Override
        public String tableName() {
            return rows.tableName();
        }

        @Override
        public List<Lease> listLeases() {
            return rows.listLeases();
        }

        @Override
        public java.util.Optional<Lease> getLease(String leaseKey) {
            return rows.getLease(leaseKey);
        }

        @Override
        public boolean createLeaseIfNotExists(Lease lease) {
            return rows.createLeaseIfNotExists(lease);
        }

        @Override
        public Lease take(Lease observed, String newOwner) {
            return rows.take(observed, newOwner);
        }

        @Override
        public Lease release(Lease held) {
            return rows.release(held);
        }

        @Override
        public Lease requestHandoff(Lease observed, String newOwner, long timeoutMillis) {
            return rows.requestHandoff(observed, newOwner, timeoutMillis);
        }

        @Override
        public Lease takeOverHandoff(Lease observed, String newOwner) {
            return rows.takeOverHandoff(observed, newOwner);
        }

        @Override
        public Lease checkpoint(Lease held, ExtendedSequenceNumber checkpoint) {
            return rows.checkpoint(held, checkpoint);
        }

        @Override
        public void addChildShardIds(String leaseKey, java.util.Set<String> childShardIds) {
            rows.addChildShardIds(leaseKey, childShardIds);
        }

        @Override
        public boolean deleteFinishedLease(Lease finished) {
            return rows.deleteFinishedLease(finished);
        }
    }

    private final GatedTable table = new GatedTable();

    private final ElasticExecutor renewals = new ElasticExecutor(4, Duration.ofSeconds(5), Thread::new);

    private final LeaseCoordinator coordinator = new LeaseCoordinator(table, "me", Duration.ofSeconds(30), 100, 1,
            NO_EVENTS, renewals);

    private void holdLeases(int count) {
        for (int i = 0; i < count; i++) {
            table.createLeaseIfNotExists(Lease.newLease("shard-" + i, ExtendedSequenceNumber.TRIM_HORIZON,
                    java.util.Set.of(), null, null));
        }
        coordinator.takeLeases(table.listLeases(), lease -> false);
        assertThat(coordinator.heldLeases()).hasSize(count);
    }

    @Test
    void aRoundRenewsOnSeveralThreadsAtOnceUpToThePoolSize() throws Exception {
        holdLeases(8);
        CountDownLatch gate = new CountDownLatch(1);
        table.gate = gate;
        Thread round = new Thread(coordinator::renewLeases);
        round.start();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            while (table.inRenewal.get() < 4) {
                Thread.sleep(5);
            }
        });
        gate.countDown();
        round.join();
        assertThat(table.mostAtOnce.get()).isEqualTo(4);
        assertThat(table.renewals.get()).isEqualTo(8);
        assertThat(coordinator.lastRenewal()).isNotNull();
    }

    @Test
    void aCheckpointDoesNotWaitForAHangingRenewalOfItsLease() throws Exception {
        holdLeases(1);
        CountDownLatch gate = new CountDownLatch(1);
        table.gate = gate;
        Thread round = new Thread(coordinator::renewLeases);
        round.start();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            while (table.inRenewal.get() < 1) {
                Thread.sleep(5);
            }
        });
        UUID token = coordinator.heldLease("shard-0").orElseThrow().token();
        Lease written = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> coordinator.checkpoint("shard-0", token, ExtendedSequenceNumber.of("42")));
        assertThat(written.checkpoint()).isEqualTo(ExtendedSequenceNumber.of("42"));
        gate.countDown();
        round.join();
        assertThat(table.rows.row("shard-0").checkpoint()).isEqualTo(ExtendedSequenceNumber.of("42"));
        assertThat(coordinator.isHeld("shard-0", token)).isTrue();
    }

    @Test
    void aRenewalStillInFlightIsNotStartedAgain() throws Exception {
        holdLeases(1);
        CountDownLatch gate = new CountDownLatch(1);
        table.gate = gate;
        Thread first = new Thread(coordinator::renewLeases);
        first.start();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            while (table.inRenewal.get() < 1) {
                Thread.sleep(5);
            }
        });
        coordinator.renewLeases();
        assertThat(table.mostAtOnce.get()).isEqualTo(1);
        gate.countDown();
        first.join();
        assertThat(table.renewals.get()).isEqualTo(1);
    }
}
