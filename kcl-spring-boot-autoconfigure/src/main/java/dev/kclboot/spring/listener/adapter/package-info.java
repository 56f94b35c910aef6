/**
 * Adapts a {@code @KinesisListener} method to a listener, invoked through spring-messaging: argument resolvers for
 * the payload ({@code @Payload}, {@code @Valid}), {@code Message<T>}, {@code @Header} and the Kinesis types, a
 * message converter for payloads, and the startup check of the method's signature.
 */
@NullMarked
package dev.kclboot.spring.listener.adapter;

import org.jspecify.annotations.NullMarked;
