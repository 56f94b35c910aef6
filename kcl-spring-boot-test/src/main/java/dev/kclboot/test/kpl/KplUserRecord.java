package dev.kclboot.test.kpl;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One user record of a KPL aggregate: what a producer passes to {@code KinesisProducer.addUserRecord}, plus the
 * optional tags of the KPL format (which consumers ignore).
 *
 * @param partitionKey the user record's partition key
 * @param explicitHashKey the explicit hash key as a decimal string, or {@code null}
 * @param data the payload
 * @param tags tag key to optional value, in insertion order
 */
public record KplUserRecord(String partitionKey, @Nullable String explicitHashKey, byte[] data,
        Map<String, @Nullable String> tags) {

    public KplUserRecord {
        Objects.requireNonNull(partitionKey, "partitionKey");
        data = data.clone();
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    public KplUserRecord(String partitionKey, @Nullable String explicitHashKey, byte[] data) {
        this(partitionKey, explicitHashKey, data, Map.of());
    }

    /** A copy of the payload. */
    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof KplUserRecord that && partitionKey.equals(that.partitionKey)
                && Objects.equals(explicitHashKey, that.explicitHashKey) && Arrays.equals(data, that.data)
                && tags.equals(that.tags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(partitionKey, explicitHashKey, Arrays.hashCode(data), tags);
    }

    @Override
    public String toString() {
        return "KplUserRecord{partitionKey=" + partitionKey + ", explicitHashKey=" + explicitHashKey + ", bytes="
                + data.length + ", tags=" + tags + "}";
    }
}
