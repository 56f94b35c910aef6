/**
 * The listener API: the listener interfaces a container delivers to, the record metadata they receive, the
 * checkpoint modes, what happens to exhausted records, the {@link dev.kclboot.spring.listener.KinesisRecordRecoverer}
 * a user implements, a container's resolved settings and its shards' status. Depends on no other listener package;
 * the containers ({@code container}), the delivery loop ({@code delivery}), the recoverers and failures
 * ({@code recovery}), the meters ({@code metrics}) and the method adapters ({@code adapter}) build on it.
 */
@NullMarked
package dev.kclboot.spring.listener;

import org.jspecify.annotations.NullMarked;
