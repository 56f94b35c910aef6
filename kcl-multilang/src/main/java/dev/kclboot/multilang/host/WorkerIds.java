package dev.kclboot.multilang.host;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/**
 * A worker id for a host started without {@code workerId}: the host name and a random suffix, so the lease table
 * shows where each lease is held (the daemon uses a bare random UUID).
 */
final class WorkerIds {

    private WorkerIds() {
    }

    static String generate() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException ex) {
            host = "multilang";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
