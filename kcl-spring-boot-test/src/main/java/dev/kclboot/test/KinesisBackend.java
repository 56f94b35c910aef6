package dev.kclboot.test;

/**
 * Which npm emulator serves Kinesis.
 */
public enum KinesisBackend {

    /**
     * kinesis-local (kinesis-mock): complete (resharding, ChildShards, SubscribeToShard). The default.
     */
    KINESIS_LOCAL,

    /**
     * kinesalite: 10-30x faster for volume, but no UpdateShardCount, no ChildShards and no fan-out, and the SDK
     * must run with CBOR off ({@code -Daws.cborEnabled=false}). For benchmarks and soak runs only.
     */
    KINESALITE
}
