package dev.kclboot.core.sync;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.kinesis.model.HashKeyRange;
import software.amazon.awssdk.services.kinesis.model.SequenceNumberRange;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * A stream's resharding history for tests, made by seeded random splits and merges: every shard ever, with its
 * parents, hash range, and when it opened and closed (in steps); and the listing Kinesis would give at a step with a
 * retention of some steps (shards closed longer ago are gone).
 */
final class LineageHistory {

    static final BigInteger MAX_HASH = BigInteger.TWO.pow(128).subtract(BigInteger.ONE);

    /** One shard of the history. */
    static final class Node {

        final String id;

        final @Nullable String parent;

        final @Nullable String adjacentParent;

        final BigInteger start;

        final BigInteger end;

        final int openedAt;

        int closedAt = -1;

        Node(String id, @Nullable String parent, @Nullable String adjacentParent, BigInteger start, BigInteger end,
                int openedAt) {
            this.id = id;
            this.parent = parent;
            this.adjacentParent = adjacentParent;
            this.start = start;
            this.end = end;
            this.openedAt = openedAt;
        }

        boolean isOpenAt(int step) {
            return openedAt <= step && (closedAt < 0 || closedAt > step);
        }

        List<String> parents() {
            List<String> parents = new ArrayList<>();
            if (parent != null) {
                parents.add(parent);
            }
            if (adjacentParent != null) {
                parents.add(adjacentParent);
            }
            return parents;
        }
    }

    final Map<String, Node> nodes = new LinkedHashMap<>();

    private int nextId;

    private int step;

    private final Random random;

    LineageHistory(Random random, int initialShards) {
        this.random = random;
        BigInteger width = MAX_HASH.add(BigInteger.ONE).divide(BigInteger.valueOf(initialShards));
        for (int i = 0; i < initialShards; i++) {
            BigInteger start = width.multiply(BigInteger.valueOf(i));
            BigInteger end = (i == initialShards - 1) ? MAX_HASH : start.add(width).subtract(BigInteger.ONE);
            add(null, null, start, end);
        }
    }

    int step() {
        return step;
    }

    private Node add(@Nullable String parent, @Nullable String adjacent, BigInteger start, BigInteger end) {
        Node node = new Node(String.format("shardId-%012d", nextId++), parent, adjacent, start, end, step);
        nodes.put(node.id, node);
        return node;
    }

    List<Node> open() {
        return nodes.values().stream().filter(node -> node.closedAt < 0)
                .sorted(Comparator.comparing(node -> node.start)).toList();
    }

    /** One resharding step: a split of a random open shard or a merge of two adjacent ones (at most 12 open). */
    void reshard() {
        step++;
        List<Node> open = open();
        boolean merge = open.size() > 1 && (open.size() >= 12 || random.nextBoolean());
        if (merge) {
            int i = random.nextInt(open.size() - 1);
            Node left = open.get(i);
            Node right = open.get(i + 1);
            left.closedAt = step;
            right.closedAt = step;
            add(left.id, right.id, left.start, right.end);
        }
        else {
            Node shard = open.get(random.nextInt(open.size()));
            BigInteger width = shard.end.subtract(shard.start);
            if (width.compareTo(BigInteger.TWO) < 0) {
                return;
            }
            BigInteger middle = shard.start.add(width.multiply(BigInteger.valueOf(1 + random.nextInt(3)))
                    .divide(BigInteger.valueOf(4)));
            shard.closedAt = step;
            add(shard.id, null, shard.start, middle);
            add(shard.id, null, middle.add(BigInteger.ONE), shard.end);
        }
    }

    /** The shards Kinesis lists now: open ones and those closed within the last {@code retention} steps. */
    List<Shard> listing(int retention) {
        List<Shard> shards = new ArrayList<>();
        for (Node node : nodes.values()) {
            if (node.closedAt < 0 || step - node.closedAt < retention) {
                shards.add(toShard(node));
            }
        }
        return shards;
    }

    static Shard toShard(Node node) {
        return Shard.builder().shardId(node.id).parentShardId(node.parent).adjacentParentShardId(node.adjacentParent)
                .hashKeyRange(HashKeyRange.builder().startingHashKey(node.start.toString())
                        .endingHashKey(node.end.toString()).build())
                .sequenceNumberRange(SequenceNumberRange.builder()
                        .startingSequenceNumber(String.valueOf(1_000_000L * node.openedAt + 1000 + idNumber(node.id)))
                        .endingSequenceNumber(node.closedAt < 0 ? null
                                : String.valueOf(1_000_000L * node.closedAt + idNumber(node.id)))
                        .build())
                .build();
    }

    private static long idNumber(String id) {
        return Long.parseLong(id.substring(id.indexOf('-') + 1));
    }

    /** The children of a shard in the true history. */
    List<String> childrenOf(String id) {
        return nodes.values().stream().filter(node -> node.parents().contains(id)).map(node -> node.id).toList();
    }
}
