package org.rpg4j.benchmarks.pytorch;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.rpg4j.benchmarks.models.ModelShapes;
import org.rpg4j.benchmarks.overhead.SyntheticCifar;

/**
 * Where real {@code fit} calls spend their time, per op kind and direction: samples the fitting
 * thread with Java Flight Recorder (Java and native method samples every 10 ms) during timed fits
 * with DL4J's workspaces, attributes each sample to the innermost layer or vertex class on its
 * stack (forward, or backward when {@code calcBackpropGradients} is on it), and prints each kind's
 * share of the samples and that share of the mean fit time. Unlike {@link TrainingStepProfile}'s
 * Java side (vertices run one by one without workspaces, which allocates every array and made the
 * passes 2-3x slower than a fit), this times the iteration as it runs; the price is sampling error
 * (about {@code sqrt(n)} samples per kind) and time the thread spends parked (waiting for other
 * threads) going unseen.
 *
 * <p>Arguments: {@code MODEL [warmup=5] [fits=10]}.
 */
public final class FitProfile {

    private static final Duration PERIOD = Duration.ofMillis(10);
    /** Simple class names, innermost first wins, and the kind they stand for. */
    private static final String[][] KINDS = {{"ChannelKernels", "batchnorm"}, {"BatchNormPasses", "batchnorm"},
            {"FastBatchNormalizationImpl", "batchnorm"}, {"BatchNormalization", "batchnorm"},
            {"FastConvolutionLayerImpl", "conv"}, {"ConvolutionLayer", "conv"}, {"FastActivationLayerImpl", "relu"},
            {"ActivationLayer", "relu"}, {"ElementWiseVertex", "add"}, {"FastElementWiseVertexImpl", "add"},
            {"GlobalPoolingLayer", "pool"}, {"SubsamplingLayer", "pool"}, {"OutputLayer", "output"},
            {"BaseOutputLayer", "output"}, {"UpdaterBlock", "update"}, {"BaseMultiLayerUpdater", "update"},
            {"ComputationGraphUpdater", "update"}};

    private FitProfile() {
    }

    /**
     * @param args the model ({@code RESNET20}, {@code RESNET32X2} or {@code VGG19}), warm-up fits,
     *     profiled fits
     * @throws IOException if the recording cannot be written or read
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: FitProfile MODEL [warmup] [fits]");
        }
        CifarComparison comparison = CifarComparison.of(ModelShapes.valueOf(args[0]));
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int fits = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        if (warmup < 0 || fits < 1) {
            throw new IllegalArgumentException("warmup must be >= 0 and fits >= 1, got " + warmup + ", " + fits);
        }
        DataSet data = SyntheticCifar.batch(CifarComparison.BATCH, 7);
        ComputationGraph net = comparison.network();
        for (int i = 0; i < warmup; i++) {
            net.fit(data);
        }
        Path file = Files.createTempFile("fit-profile", ".jfr");
        double fitMillis;
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(PERIOD);
            recording.enable("jdk.NativeMethodSample").withPeriod(PERIOD);
            recording.start();
            long start = System.nanoTime();
            for (int i = 0; i < fits; i++) {
                net.fit(data);
            }
            fitMillis = (System.nanoTime() - start) / 1e6 / fits;
            recording.stop();
            recording.dump(file);
        }
        try {
            print(comparison, fits, fitMillis, count(RecordingFile.readAllEvents(file), Thread.currentThread()
                    .getName()));
        } finally {
            Files.delete(file);
        }
    }

    /** Samples of the fitting thread per "kind direction". */
    private static Map<String, Integer> count(List<RecordedEvent> events, String threadName) {
        Map<String, Integer> counts = new TreeMap<>();
        for (RecordedEvent event : events) {
            if (event.getThread("sampledThread") == null
                    || !threadName.equals(event.getThread("sampledThread").getJavaName())
                    || event.getStackTrace() == null) {
                continue;
            }
            counts.merge(attribute(event.getStackTrace().getFrames()), 1, Integer::sum);
        }
        return counts;
    }

    private static String attribute(List<RecordedFrame> frames) {
        boolean backward = frames.stream().anyMatch(f -> "calcBackpropGradients".equals(f.getMethod().getName()));
        String direction = backward ? "backward" : "forward";
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            String simple = type.substring(type.lastIndexOf('.') + 1);
            for (String[] kind : KINDS) {
                if (simple.equals(kind[0])) {
                    return "update".equals(kind[1]) ? "update" : kind[1] + " " + direction;
                }
            }
        }
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            if (type.startsWith("org.deeplearning4j")) {
                return "other: " + type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
            }
        }
        return "other";
    }

    private static void print(CifarComparison comparison, int fits, double fitMillis, Map<String, Integer> counts) {
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf(Locale.ROOT, "%s, batch %d, fit %.1f ms (mean of %d), %d samples of the fitting thread "
                + "(%.0f %% of the wall time at one per %d ms), load %.1f%n", comparison.label(), CifarComparison.BATCH,
                fitMillis, fits, total, 100.0 * total * PERIOD.toMillis() / (fitMillis * fits), PERIOD.toMillis(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("| kind | samples | share | ms per iteration (share x fit) |");
        System.out.println("|---|---:|---:|---:|");
        counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).forEach(e -> System.out.printf(
                Locale.ROOT, "| %s | %d | %.1f %% | %.1f |%n", e.getKey(), e.getValue(), 100.0 * e.getValue() / total,
                fitMillis * e.getValue() / total));
    }
}
