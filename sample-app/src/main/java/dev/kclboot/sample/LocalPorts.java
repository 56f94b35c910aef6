package dev.kclboot.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Whether a loopback port of local mode is taken (0 means "any free port": never taken).
 */
final class LocalPorts {

    private LocalPorts() {
    }

    static boolean isTaken(int port) {
        if (port <= 0) {
            return false;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return false;
        }
        catch (IOException ex) {
            return true;
        }
    }
}
