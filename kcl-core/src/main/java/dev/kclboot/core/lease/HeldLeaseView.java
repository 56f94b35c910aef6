package dev.kclboot.core.lease;

import java.util.UUID;

/**
 * A held lease as last written by this worker, with the token of this tenure.
 * @param lease the lease
 * @param token identifies this tenure; checkpoints and releases must present it
 */
public record HeldLeaseView(Lease lease, UUID token) {
}
