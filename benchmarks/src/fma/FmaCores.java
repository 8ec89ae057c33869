import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Whether this machine's two processors give two cores' multiply-adds (issue 15, docs/deployment.md "Session 13:
 * VGG-19 at batch 32 on two threads"): the register-only FMA loop of {@link FmaPeak} ({@code independent}, the FMA
 * units' peak) timed on one thread, then on two threads at once (started together at a barrier), and one thread's
 * loop beside a second thread running scalar integer work (no vector units). Each block is about 40 ms; for every
 * case the fastest block is printed, as GMAC/s per thread in wall time and in that thread's CPU time. Two separate
 * cores: two threads each at about the one-thread rate. Two hardware threads of one core (SMT siblings, which a
 * virtual machine may present as two cores): two threads at about half the rate each, and the scalar neighbour
 * costing little. Not part of the Maven build (see {@link FmaPeak}); run it with the source launcher:
 *
 * <pre>java --add-modules jdk.incubator.vector benchmarks/src/fma/FmaCores.java [blocks]</pre>
 */
public final class FmaCores {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long MACS_PER_REP = 12L * 16 * 64;
    private static volatile float sink;
    private static volatile long intSink;

    private FmaCores() {
    }

    public static void main(String[] args) throws Exception {
        int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        // compiled before the blocks are sized: the first calls run interpreted
        for (int w = 0; w < 200; w++) {
            sink = independent(500);
            intSink = scalar(100_000);
        }
        int reps = 1;
        for (long nanos = 0; nanos < 40_000_000L; reps *= 2) {
            long start = System.nanoTime();
            sink = independent(reps);
            nanos = System.nanoTime() - start;
        }
        int r = reps;
        System.out.printf(Locale.ROOT, "FmaCores: %d processors, blocks of %d reps (~40 ms), best of %d, load %.2f%n",
                Runtime.getRuntime().availableProcessors(), reps, blocks, ManagementFactory
                        .getOperatingSystemMXBean().getSystemLoadAverage());
        for (int round = 0; round < 3; round++) {
            double[] one = run(1, blocks, r, false);
            double[] two = run(2, blocks, r, false);
            double[] scalar = run(2, blocks, r, true);
            System.out.printf(Locale.ROOT, "  round %d: one thread %.1f GMAC/s wall (%.1f CPU); two threads %.1f + "
                    + "%.1f wall (%.1f + %.1f CPU), together %.2fx one; one beside scalar work %.1f wall (%.1f CPU)%n",
                    round, one[0], one[2], two[0], two[1], two[2], two[3], (two[0] + two[1]) / one[0], scalar[0],
                    scalar[2]);
        }
        System.out.printf(Locale.ROOT, "load %.2f at end (sinks %s %d)%n", ManagementFactory
                .getOperatingSystemMXBean().getSystemLoadAverage(), sink, intSink);
    }

    /**
     * @return best GMAC/s of thread 0 and 1 in wall time, then in CPU time (thread 1's are 0 when it is absent or runs
     *     scalar work)
     */
    private static double[] run(int threads, int blocks, int reps, boolean secondScalar) throws Exception {
        double[] best = new double[4];
        for (int b = 0; b < blocks; b++) {
            CyclicBarrier start = new CyclicBarrier(threads);
            double[][] rates = new double[threads][2];
            Thread[] workers = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                int id = t;
                workers[t] = new Thread(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    long wall = System.nanoTime();
                    long cpu = THREADS.getCurrentThreadCpuTime();
                    if (id == 1 && secondScalar) {
                        intSink = scalar(reps * 4L * 64 * 12);
                        return;
                    }
                    sink = independent(reps);
                    rates[id][0] = (double) MACS_PER_REP * reps / (System.nanoTime() - wall);
                    rates[id][1] = (double) MACS_PER_REP * reps / (THREADS.getCurrentThreadCpuTime() - cpu);
                });
                workers[t].start();
            }
            for (Thread w : workers) {
                w.join();
            }
            for (int t = 0; t < threads; t++) {
                best[t] = Math.max(best[t], rates[t][0]);
                best[2 + t] = Math.max(best[2 + t], rates[t][1]);
            }
        }
        return best;
    }

    /** Integer multiply-xor chain: keeps a core's scalar units busy, no vector instructions. */
    private static long scalar(long steps) {
        long x = 1;
        long y = 2;
        for (long i = 0; i < steps; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            y ^= x >>> 13;
        }
        return x + y;
    }

    /** 12 independent FMA chains on registers, 64 FMAs each per rep (as {@link FmaPeak}). */
    private static float independent(int reps) {
        FloatVector b = FloatVector.broadcast(S, 0.999f);
        FloatVector c = FloatVector.broadcast(S, 1e-7f);
        FloatVector a0 = FloatVector.broadcast(S, 1f);
        FloatVector a1 = a0.add(c);
        FloatVector a2 = a1.add(c);
        FloatVector a3 = a2.add(c);
        FloatVector a4 = a3.add(c);
        FloatVector a5 = a4.add(c);
        FloatVector a6 = a5.add(c);
        FloatVector a7 = a6.add(c);
        FloatVector a8 = a7.add(c);
        FloatVector a9 = a8.add(c);
        FloatVector a10 = a9.add(c);
        FloatVector a11 = a10.add(c);
        for (int r = 0; r < reps; r++) {
            for (int i = 0; i < 64; i++) {
                a0 = a0.fma(b, c);
                a1 = a1.fma(b, c);
                a2 = a2.fma(b, c);
                a3 = a3.fma(b, c);
                a4 = a4.fma(b, c);
                a5 = a5.fma(b, c);
                a6 = a6.fma(b, c);
                a7 = a7.fma(b, c);
                a8 = a8.fma(b, c);
                a9 = a9.fma(b, c);
                a10 = a10.fma(b, c);
                a11 = a11.fma(b, c);
            }
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }
}
