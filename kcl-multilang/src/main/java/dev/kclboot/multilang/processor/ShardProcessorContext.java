package dev.kclboot.multilang.processor;

import java.time.Duration;

import dev.kclboot.multilang.child.ChildLauncher;
import org.jspecify.annotations.Nullable;

/**
 * What every shard's processor of a host shares.
 * @param launcher starts children
 * @param starts whether children may still be started (not while the host stops)
 * @param children the children running now
 * @param metrics the host's meters
 * @param timeout how long a child may take to answer, null for no limit
 * @param exitWait how long a child may take to exit after its stdin is closed
 */
record ShardProcessorContext(ChildLauncher launcher, ChildStarts starts, LiveChildren children, ChildMetrics metrics,
        @Nullable Duration timeout, Duration exitWait) {
}
