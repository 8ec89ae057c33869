package org.rpg4j.benchmarks.structured;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.zoo.model.ResNet50;
import org.nd4j.linalg.learning.config.Sgd;
import org.rpg4j.dl4j.graph.ChannelDependencies;
import org.rpg4j.dl4j.shrink.NetworkShrinker;
import org.rpg4j.dl4j.shrink.UpdaterStatePolicy;
import org.rpg4j.structured.ChannelSelection;
import org.rpg4j.structured.FilterNorm;
import org.rpg4j.structured.KeepSelection;
import org.rpg4j.structured.TensorSource;

/**
 * The issue-14 goal "analysis + shrinking of ResNet50's configuration under 2 s": the zoo's ResNet50
 * (224x224, 1000 classes, 25.6 M parameters) analysed, ranked by L1 filter norm at 50 % channels and
 * shrunk, several times in one JVM (the first runs include class loading and JIT). Prints per run and
 * phase the wall time, the CPU time of this thread ({@link ThreadMXBean}) and of the whole process
 * (ND4J's native threads included), and the load average: CPU time is the number that survives a
 * loaded machine.
 *
 * <pre>java -cp benchmarks.jar org.rpg4j.benchmarks.structured.ResNet50ShrinkTime [runs]</pre>
 */
public final class ResNet50ShrinkTime {
    private ResNet50ShrinkTime() {}

    /**
     * @param args optional number of runs (default 5)
     */
    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Model net = ResNet50.builder().numClasses(1000).updater(new Sgd(1e-3)).build().init();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.println("run | analysis wall/thread-CPU s | selection | shrink | total wall s | total thread CPU s"
                + " | total process CPU s | load");
        for (int run = 1; run <= runs; run++) {
            long[] t = new long[4];
            long[] cpu = new long[4];
            long process0 = processCpuNanos();
            t[0] = System.nanoTime();
            cpu[0] = threads.getCurrentThreadCpuTime();
            ChannelDependencies deps = ChannelDependencies.analyse(net);
            t[1] = System.nanoTime();
            cpu[1] = threads.getCurrentThreadCpuTime();
            TensorSource tensors = (layer, param) -> deps.graph().node(layer).params().get(param);
            KeepSelection keep = ChannelSelection.perGroup(deps.groups(), new FilterNorm(), tensors, 0.5);
            t[2] = System.nanoTime();
            cpu[2] = threads.getCurrentThreadCpuTime();
            Model shrunk = NetworkShrinker.shrink(deps, keep, UpdaterStatePolicy.COPY).network();
            t[3] = System.nanoTime();
            cpu[3] = threads.getCurrentThreadCpuTime();
            double process = (processCpuNanos() - process0) / 1e9;
            System.out.printf(Locale.ROOT, "%d | %.2f/%.2f | %.2f/%.2f | %.2f/%.2f | %.2f | %.2f | %.2f | %.1f "
                    + "(params %d -> %d)%n", run, s(t, 0), s(cpu, 0), s(t, 1), s(cpu, 1), s(t, 2), s(cpu, 2),
                    (t[3] - t[0]) / 1e9, (cpu[3] - cpu[0]) / 1e9, process, ManagementFactory
                            .getOperatingSystemMXBean().getSystemLoadAverage(), net.numParams(), shrunk.numParams());
        }
    }

    private static double s(long[] nanos, int phase) {
        return (nanos[phase + 1] - nanos[phase]) / 1e9;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
