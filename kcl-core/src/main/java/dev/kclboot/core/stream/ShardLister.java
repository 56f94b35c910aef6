package dev.kclboot.core.stream;

import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * Lists every shard of a stream, open and closed, following ListShards pagination.
 */
public class ShardLister {

    private final KinesisClient kinesis;

    public ShardLister(KinesisClient kinesis) {
        this.kinesis = kinesis;
    }

    public List<Shard> listShards(StreamRef stream) {
        List<Shard> shards = new ArrayList<>();
        String nextToken = null;
        do {
            ListShardsRequest request = (nextToken == null)
                    ? stream.applyTo(ListShardsRequest.builder()).build()
                    : ListShardsRequest.builder().nextToken(nextToken).build();
            ListShardsResponse response = kinesis.listShards(request);
            shards.addAll(response.shards());
            nextToken = response.nextToken();
        }
        while (nextToken != null);
        return shards;
    }
}
