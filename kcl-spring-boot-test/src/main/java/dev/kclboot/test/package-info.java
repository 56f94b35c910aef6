/**
 * Local Kinesis and DynamoDB for tests and local runs: {@link dev.kclboot.test.LocalKinesis} starts the npm
 * emulators as child processes, {@link dev.kclboot.test.EmbeddedKinesis} gives them to JUnit 5 and Spring tests.
 */
@NullMarked
package dev.kclboot.test;

import org.jspecify.annotations.NullMarked;
