package dev.kclboot.benchmarks.multilang;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A MultiLang host to measure: how to start it on a properties file.
 * @param name the name in the figures
 * @param launcher the command before the properties file
 * @param kcl3Table whether its lease table must exist beforehand with the KCL 3.x index (dynalite cannot add it)
 */
record Contender(String name, List<String> launcher, boolean kcl3Table) {

    static Contender ours(Path jar) {
        return new Contender("kcl-multilang", List.of(java(), "-jar", jar.toString()), false);
    }

    static Contender daemon(String classpath) {
        return new Contender("KCL MultiLangDaemon 3.1.3", List.of(java(), "-cp", classpath,
                "software.amazon.kinesis.multilang.MultiLangDaemon", "-p"), true);
    }

    List<String> command(Path properties) {
        List<String> command = new ArrayList<>(launcher);
        command.add(properties.toString());
        return command;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
