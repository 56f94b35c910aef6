package dev.kclboot.spring.listener.adapter;

/**
 * One call of a listener method (argument resolution included), as the observation wraps it.
 */
@FunctionalInterface
interface ListenerCall {

    void run() throws Exception;
}
