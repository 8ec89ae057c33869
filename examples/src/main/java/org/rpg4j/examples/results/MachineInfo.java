package org.rpg4j.examples.results;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The machine a run measured its speed on. The load average is recorded because speeds on a shared
 * machine mean little without it.
 *
 * @param os operating system name and version
 * @param arch CPU architecture
 * @param cpuModel CPU model from {@code /proc/cpuinfo}, or "unknown"
 * @param cores processors available to the JVM
 * @param memoryGiB physical memory in GiB, or -1 if unknown
 * @param java Java runtime name and version
 * @param maxHeapMiB the JVM's maximum heap in MiB
 * @param loadAverage one-minute system load average when recorded (-1 if unavailable)
 */
public record MachineInfo(String os, String arch, String cpuModel, int cores, double memoryGiB, String java,
                          long maxHeapMiB, double loadAverage) {

    /** @return the machine this JVM runs on, now */
    public static MachineInfo current() {
        return new MachineInfo(System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("os.arch"), readCpuModel(), Runtime.getRuntime().availableProcessors(),
                readMemoryGiB(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() / (1024 * 1024),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** @return one line for outputs */
    public String summary() {
        return String.format(Locale.ROOT, "%s, %d cores, %.0f GiB, %s, load average %.2f", cpuModel, cores, memoryGiB,
                java, loadAverage);
    }

    private static String readCpuModel() {
        return readProc("/proc/cpuinfo", "model name");
    }

    private static double readMemoryGiB() {
        String kb = readProc("/proc/meminfo", "MemTotal").replace("kB", "").trim();
        try {
            return Long.parseLong(kb) / (1024.0 * 1024.0);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String readProc(String file, String key) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file));
            for (String line : lines) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
        return "unknown";
    }
}
