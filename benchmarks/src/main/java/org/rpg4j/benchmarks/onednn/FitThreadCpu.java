package org.rpg4j.benchmarks.onednn;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.rpg4j.benchmarks.models.ModelShapes;
import org.rpg4j.benchmarks.overhead.CifarModels;
import org.rpg4j.benchmarks.overhead.SyntheticCifar;

/**
 * Wall time of training fits (fast layers, batch 128) and the CPU time each thread of the JVM spent during them,
 * read from {@code /proc/self/task} (Linux; 10 ms ticks): the fitting thread, the OpenMP worker that libnd4j and
 * oneDNN share (a native thread named {@code java}), the fork-join worker of the Java loops, the JIT and GC threads.
 * Made to compare settings that need their own JVM (the OpenMP wait policy, {@code GOMP_SPINCOUNT}, another dnnl
 * preset first on the class path), alternating JVMs, and to see whether an OpenMP worker spins while Java code runs
 * (its CPU time against the fitting thread's). With {@code DNNL_VERBOSE=1} the line {@code === timed} on standard
 * output separates the warm-up's primitive executions from the timed ones (docs/performance.md, "Session 11").
 *
 * <p>Usage: {@code FitThreadCpu [MODEL=RESNET20] [warmup=3] [fits=10] [tag]}; one line starting with
 * {@code === tag} holds the results.
 */
public final class FitThreadCpu {

    private static final long TICK_MS = 10;
    /** Threads with less CPU time than this over the timed fits are not printed. */
    private static final long PRINT_MS = 20;

    private FitThreadCpu() {
    }

    /**
     * @param args model, warm-up fits, timed fits, a tag printed with the results
     * @throws IOException if {@code /proc/self/task} cannot be read
     */
    public static void main(String[] args) throws IOException {
        ModelShapes model = ModelShapes.valueOf(args.length > 0 ? args[0] : "RESNET20");
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int fits = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        String tag = args.length > 3 ? args[3] : "";
        if (warmup < 0 || fits < 1) {
            throw new IllegalArgumentException("warmup must be >= 0 and fits >= 1, got " + warmup + ", " + fits);
        }
        ComputationGraph net = new ComputationGraph(CifarModels.of(model, true));
        net.init();
        DataSet data = SyntheticCifar.batch(128, 7);
        for (int i = 0; i < warmup; i++) {
            net.fit(data);
        }
        System.out.println("=== timed");
        System.out.flush();
        Map<String, Long> before = threadTicks();
        long[] millis = new long[fits];
        long start = System.nanoTime();
        for (int i = 0; i < fits; i++) {
            long t = System.nanoTime();
            net.fit(data);
            millis[i] = (System.nanoTime() - t) / 1_000_000;
        }
        long wall = (System.nanoTime() - start) / 1_000_000;
        Map<String, Long> after = threadTicks();
        long[] sorted = millis.clone();
        Arrays.sort(sorted);
        StringBuilder threads = new StringBuilder();
        long total = 0;
        for (Map.Entry<String, Long> e : after.entrySet()) {
            long ms = (e.getValue() - before.getOrDefault(e.getKey(), 0L)) * TICK_MS;
            total += ms;
            if (ms >= PRINT_MS) {
                threads.append(' ').append(e.getKey()).append('=').append(ms);
            }
        }
        System.out.printf(Locale.ROOT,
                "=== %s %s ms per fit %s median %d | CPU ms per fit %d | thread CPU ms over %d ms"
                        + " wall:%s (load %.1f)%n", tag, model, Arrays.toString(millis), sorted[fits / 2], total / fits,
                wall,
                threads, java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** @return per thread ({@code tid:name}) its user + system CPU ticks so far */
    private static Map<String, Long> threadTicks() throws IOException {
        Map<String, Long> ticks = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException ended) {
                    continue;
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                String[] fields = stat.substring(close + 2).split(" ");
                // fields from the state on: utime and stime are the 12th and 13th
                ticks.put(task.getFileName() + ":" + stat.substring(open + 1, close),
                        Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
            }
        }
        return ticks;
    }
}
