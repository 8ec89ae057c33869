import java.lang.management.ManagementFactory;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.rpg4j.benchmarks.sparse.RpgPrunedWeights;
import org.rpg4j.dl4j.deploy.runner.KernelPolicy;
import org.rpg4j.dl4j.deploy.runner.RunnerOptions;
import org.rpg4j.dl4j.deploy.runner.SparseRunner;
import org.rpg4j.sparse.kernel.CallThreads;
import org.rpg4j.sparse.kernel.KernelThreading;

/**
 * How many cores the dense paths really use (issue 15, docs/deployment.md "Session 13: VGG-19 at batch 32 on two
 * threads"): process CPU time over wall time for whole calls of the RPG-pruned VGG-19 at batch 32, the runner with
 * every layer on oneDNN (policy DENSE) and on the sparse kernels (SPARSE), each with every step on the caller and under
 * the two-thread rule, and DL4J's network after libnd4j's {@code setOmpNumThreads(1)} and {@code (2)} on the calling
 * thread. CPU/wall near 1: one core busy; near 2: both (working or spinning). Not part of the Maven build; run from the
 * repository with the benchmarks jar on the class path:
 *
 * <pre>java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar benchmarks/src/threads/OmpCheck.java</pre>
 */
public final class OmpCheck {
    static com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    public static void main(String[] a) throws Exception {
        ComputationGraph g = RpgPrunedWeights.graph("VGG19", 0.98, true);
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 32, 3, 32, 32);
        SparseRunner dense = SparseRunner.compile(g, RunnerOptions.defaults().withPolicy(KernelPolicy.DENSE));
        SparseRunner sparse = SparseRunner.compile(g, RunnerOptions.defaults().withPolicy(KernelPolicy.SPARSE));
        NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        int omp = ops.ompGetMaxThreads();
        for (int i = 0; i < 15; i++) { KernelThreading.callWith(CallThreads.CALLER, () -> dense.output(x)); KernelThreading.callWith(CallThreads.CALLER, () -> sparse.output(x)); g.outputSingle(x); }
        for (int round = 0; round < 2; round++) {
            measure("runner DENSE, caller", 10, () -> KernelThreading.callWith(CallThreads.CALLER, () -> dense.output(x)));
            measure("runner DENSE, pool", 10, () -> KernelThreading.callWith(CallThreads.POOL_ABOVE_THRESHOLD, () -> dense.output(x)));
            measure("runner SPARSE, caller", 10, () -> KernelThreading.callWith(CallThreads.CALLER, () -> sparse.output(x)));
            measure("runner SPARSE, pool", 10, () -> KernelThreading.callWith(CallThreads.POOL_ABOVE_THRESHOLD, () -> sparse.output(x)));
            measure("DL4J setOmpNumThreads(1)", 6, () -> { ops.setOmpNumThreads(1); try { g.outputSingle(x); } finally { ops.setOmpNumThreads(omp); } });
            measure("DL4J setOmpNumThreads(2)", 6, () -> { ops.setOmpNumThreads(2); try { g.outputSingle(x); } finally { ops.setOmpNumThreads(omp); } });
        }
        System.out.println("threads in process: " + new java.io.File("/proc/self/task").list().length + ", load " + os.getSystemLoadAverage());
    }
    static void measure(String name, int calls, Runnable r) {
        long cpu0 = os.getProcessCpuTime(); long w0 = System.nanoTime();
        for (int i = 0; i < calls; i++) r.run();
        long wall = System.nanoTime() - w0; long cpu = os.getProcessCpuTime() - cpu0;
        System.out.printf(Locale.ROOT, "%-28s wall %.1f ms/call, process CPU %.1f ms/call, CPU/wall %.2f%n", name, wall / 1e6 / calls, cpu / 1e6 / calls, (double) cpu / wall);
    }
}
