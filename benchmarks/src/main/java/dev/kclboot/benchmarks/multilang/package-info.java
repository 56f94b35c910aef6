/**
 * The MultiLang benchmark: this project's kcl-multilang host against the KCL's MultiLangDaemon, same Python
 * processor, same emulators, measured from outside (process start, SIGTERM, process exit, the processor's own event
 * lines).
 */
@NullMarked
package dev.kclboot.benchmarks.multilang;

import org.jspecify.annotations.NullMarked;
