package org.rpg4j.benchmarks.structured;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's page-fault count, for tools that report faults per call (Linux {@code /proc/self/stat}). */
final class PageFaults {

    private PageFaults() {
    }

    /**
     * @return the process's minor page faults so far (field 10 of {@code /proc/self/stat}), or -1 without that file
     * @throws IOException if the file exists but cannot be read
     */
    static long minor() throws IOException {
        Path stat = Path.of("/proc/self/stat");
        if (!Files.exists(stat)) {
            return -1;
        }
        String text = Files.readString(stat);
        String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[7]);
    }
}
