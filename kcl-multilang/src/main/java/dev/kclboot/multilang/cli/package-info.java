/**
 * The command line of the host, shaped like the KCL MultiLangDaemon's: the properties file, a log configuration, and the host's own management flags.
 */
@NullMarked
package dev.kclboot.multilang.cli;

import org.jspecify.annotations.NullMarked;
