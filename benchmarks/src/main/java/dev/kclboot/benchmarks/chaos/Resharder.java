package dev.kclboot.benchmarks.chaos;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * Splits and merges shards of one stream and waits until the stream is ACTIVE again: a split cuts a shard's hash
 * range in the middle, a merge joins two shards with adjacent ranges.
 */
final class Resharder {

    private static final Duration ACTIVE_TIMEOUT = Duration.ofSeconds(30);

    private final KinesisClient kinesis;

    private final String stream;

    Resharder(KinesisClient kinesis, String stream) {
        this.kinesis = kinesis;
        this.stream = stream;
    }

    String stream() {
        return stream;
    }

    /** Every shard of the stream, open and closed. */
    List<Shard> shards() {
        List<Shard> shards = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            ListShardsResponse page = next == null ? kinesis.listShards(r -> r.streamName(stream))
                    : kinesis.listShards(r -> r.nextToken(next));
            shards.addAll(page.shards());
            token = page.nextToken();
        }
        while (token != null);
        return shards;
    }

    /** The open shards, by the start of their hash range. */
    List<Shard> openShards() {
        return shards().stream().filter(shard -> shard.sequenceNumberRange().endingSequenceNumber() == null)
                .sorted(Comparator.comparing(shard -> new BigInteger(shard.hashKeyRange().startingHashKey())))
                .toList();
    }

    /** Splits an open shard in the middle of its hash range; returns the two children, lower range first. */
    List<String> split(String shardId) {
        Shard shard = openShards().stream().filter(s -> s.shardId().equals(shardId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No open shard " + shardId));
        BigInteger start = new BigInteger(shard.hashKeyRange().startingHashKey());
        BigInteger end = new BigInteger(shard.hashKeyRange().endingHashKey());
        BigInteger middle = start.add(end.subtract(start).add(BigInteger.ONE).shiftRight(1));
        kinesis.splitShard(r -> r.streamName(stream).shardToSplit(shardId).newStartingHashKey(middle.toString()));
        return awaitChildren(() -> {
            List<String> children = openShards().stream().filter(s -> shardId.equals(s.parentShardId()))
                    .map(Shard::shardId).toList();
            return children.size() == 2 ? children : null;
        }, "children of " + shardId);
    }

    /** Merges two open shards with adjacent ranges ({@code lower} first); returns the new shard. */
    String merge(String lower, String upper) {
        kinesis.mergeShards(r -> r.streamName(stream).shardToMerge(lower).adjacentShardToMerge(upper));
        return awaitChildren(() -> openShards().stream()
                .filter(s -> lower.equals(s.parentShardId()) && upper.equals(s.adjacentParentShardId()))
                .map(Shard::shardId).findFirst().orElse(null), "the child of " + lower + " + " + upper);
    }

    /** Two open shards whose ranges touch, lower first, chosen by {@code pick} among all such pairs; empty if none. */
    Optional<List<String>> adjacentPair(java.util.function.IntUnaryOperator pick) {
        List<Shard> open = openShards();
        List<List<String>> pairs = new ArrayList<>();
        for (int i = 0; i + 1 < open.size(); i++) {
            BigInteger end = new BigInteger(open.get(i).hashKeyRange().endingHashKey());
            BigInteger nextStart = new BigInteger(open.get(i + 1).hashKeyRange().startingHashKey());
            if (end.add(BigInteger.ONE).equals(nextStart)) {
                pairs.add(List.of(open.get(i).shardId(), open.get(i + 1).shardId()));
            }
        }
        return pairs.isEmpty() ? Optional.empty() : Optional.of(pairs.get(pick.applyAsInt(pairs.size())));
    }

    /** Waits until the stream is ACTIVE and {@code children} finds the new shards (the listing may lag the status). */
    private <T> T awaitChildren(java.util.function.Supplier<@Nullable T> children, String what) {
        long deadline = System.nanoTime() + ACTIVE_TIMEOUT.toNanos();
        while (true) {
            @Nullable StreamStatus status = kinesis.describeStreamSummary(r -> r.streamName(stream))
                    .streamDescriptionSummary().streamStatus();
            if (status == StreamStatus.ACTIVE) {
                T found = children.get();
                if (found != null) {
                    return found;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Stream " + stream + ": no " + what + " within " + ACTIVE_TIMEOUT);
            }
            try {
                Thread.sleep(20);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while resharding", ex);
            }
        }
    }
}
