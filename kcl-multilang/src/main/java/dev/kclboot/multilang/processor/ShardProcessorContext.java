package dev.kclboot.multilang.processor;

import java.time.Duration;

import dev.kclboot.multilang.child.ChildLauncher;
import dev.kclboot.multilang.lease.LeaseLookup;
import dev.kclboot.multilang.lease.LeaseReleaser;
import org.jspecify.annotations.Nullable;

/**
 * What every shard's processor of a host shares.
 * @param launcher starts children
 * @param leases the checkpoint and lag of held leases
 * @param releaser gives up the lease of a shard whose child failed
 * @param backoff the wait before a shard's next child
 * @param children the children running now
 * @param metrics the host's meters
 * @param timeout how long a child may take to answer, null for no limit
 * @param leaseLossWait the longest wait for the engine to see a released lease as lost
 * @param exitWait how long a child may take to exit after its stdin is closed
 */
record ShardProcessorContext(ChildLauncher launcher, LeaseLookup leases, LeaseReleaser releaser,
        ShardRestartBackoff backoff, LiveChildren children, ChildMetrics metrics, @Nullable Duration timeout,
        Duration leaseLossWait, Duration exitWait) {
}
