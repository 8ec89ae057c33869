import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * One core's multiply-add rate with the Vector API (issue 15, docs/deployment.md "Session 12: VGG-19 at batch 32"):
 * what a sparse convolution kernel could reach at best on this machine. Not part of the Maven build (the benchmarks
 * module compiles no Vector API code, and a second compile execution for it would rewrite JMH's benchmark list);
 * run it with the source launcher, one thread:
 *
 * <pre>java --add-modules jdk.incubator.vector benchmarks/src/fma/FmaPeak.java [blocks]</pre>
 *
 * <p>With {@code cores} first ({@code FmaPeak.java cores [blocks]}, until session 14 the separate
 * {@code FmaCores.java}; issue 15, docs/deployment.md "Session 13: VGG-19 at batch 32 on two threads"): whether
 * this machine's two processors give two cores' multiply-adds. The {@code independent} loop is timed on one thread,
 * then on two threads at once (started together at a barrier), and one thread's loop beside a second thread running
 * scalar integer work (no vector units). Each block is about 40 ms; for every case the fastest block is printed, as
 * GMAC/s per thread in wall time and in that thread's CPU time. Two separate cores: two threads each at about the
 * one-thread rate. Two hardware threads of one core (SMT siblings, which a virtual machine may present as two
 * cores): two threads at about half the rate each, and the scalar neighbour costing little.
 *
 * <p>Each loop is timed in blocks of about 40 ms on the thread's CPU time (so preemption by other processes does not
 * count); the fastest block is printed as GMAC/s (multiply-adds per second, 16 per 512-bit FMA). Loops:
 * <ul>
 * <li>{@code independent}: 12 independent accumulators, {@code acc = a.fma(b, acc)} on registers only: the FMA
 * units' peak.</li>
 * <li>{@code broadcast+load}: per FMA one weight broadcast from a float array and one source vector loaded from an
 * L1-resident array at a 16-float aligned offset, into 8 accumulators: what an unstructured sparse kernel does per
 * non-zero weight and output vector when each weight meets one source vector.</li>
 * <li>{@code broadcast+load unaligned}: the same with offsets shifted by one float (a 3x3 convolution's taps at
 * column offsets -1 and +1: every 64-byte load crosses a cache line).</li>
 * <li>{@code weight shared by 4 loads}: one broadcast weight per 4 source vectors loaded at consecutive unaligned
 * offsets (one output row of 64 values per weight): one load per FMA, the broadcast amortised.</li>
 * <li>{@code load shared by 4 weights}: one source vector loaded per 4 broadcast weights (4 output channels per
 * loaded vector, the per-image kernel's channel blocks).</li>
 * </ul>
 */
public final class FmaPeak {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int SOURCE = 1024;
    private static final int WEIGHTS = 256;
    /** Multiply-adds of one rep of {@link #independent}: 12 chains of 64 FMAs of 16 lanes. */
    private static final long INDEPENDENT_MACS = 12L * 16 * 64;
    private static volatile float sink;
    private static volatile long intSink;

    private FmaPeak() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("cores")) {
            cores(args.length > 1 ? Integer.parseInt(args[1]) : 15);
            return;
        }
        int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 25;
        float[] source = new float[SOURCE + 64];
        float[] weights = new float[WEIGHTS];
        int[] aligned = new int[WEIGHTS];
        int[] shifted = new int[WEIGHTS];
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < source.length; i++) {
            source[i] = random.nextFloat() * 1e-3f;
        }
        for (int k = 0; k < WEIGHTS; k++) {
            weights[k] = random.nextFloat() * 1e-3f;
            aligned[k] = random.nextInt((SOURCE - 8 * 16) / 16) * 16;
            shifted[k] = aligned[k] + 1;
        }
        System.out.printf(Locale.ROOT, "FmaPeak: %d lanes per vector, blocks of ~40 ms thread CPU time, best of %d%n",
                S.length(), blocks);
        for (int round = 0; round < 2; round++) {
            report("independent", blocks, reps -> independent(reps), INDEPENDENT_MACS);
            report("broadcast+load aligned", blocks, reps -> broadcastLoad(source, weights, aligned, reps),
                    8L * 16 * WEIGHTS);
            report("broadcast+load unaligned", blocks, reps -> broadcastLoad(source, weights, shifted, reps),
                    8L * 16 * WEIGHTS);
            report("weight shared by 4 loads", blocks, reps -> sharedWeight(source, weights, shifted, reps),
                    8L * 16 * WEIGHTS);
            report("load shared by 4 weights", blocks, reps -> sharedLoad(source, weights, shifted, reps),
                    8L * 16 * WEIGHTS);
        }
        System.out.println("(sink " + sink + ")");
    }

    /** The {@code cores} mode: the {@code independent} loop on one thread, two threads, and beside scalar work. */
    private static void cores(int blocks) throws Exception {
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
        System.out.printf(Locale.ROOT, "FmaPeak cores: %d processors, blocks of %d reps (~40 ms), best of %d, load "
                + "%.2f%n",
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
                    rates[id][0] = (double) INDEPENDENT_MACS * reps / (System.nanoTime() - wall);
                    rates[id][1] = (double) INDEPENDENT_MACS * reps / (THREADS.getCurrentThreadCpuTime() - cpu);
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

    private interface Loop {
        float run(int reps);
    }

    private static void report(String name, int blocks, Loop loop, long macsPerRep) {
        int reps = 1;
        for (long nanos = 0; nanos < 40_000_000L; reps *= 2) {
            long start = THREADS.getCurrentThreadCpuTime();
            sink += loop.run(reps);
            nanos = THREADS.getCurrentThreadCpuTime() - start;
        }
        double best = 0;
        for (int b = 0; b < blocks; b++) {
            long start = THREADS.getCurrentThreadCpuTime();
            sink += loop.run(reps);
            long nanos = THREADS.getCurrentThreadCpuTime() - start;
            best = Math.max(best, (double) macsPerRep * reps / nanos);
        }
        System.out.printf(Locale.ROOT, "  %-28s %7.1f GMAC/s%n", name, best);
    }

    /** 12 independent FMA chains on registers, 64 FMAs each per rep. */
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

    /** Per weight k and accumulator j: broadcast weights[(k + j) % WEIGHTS], load source at offsets[k] + 16 j. */
    private static float broadcastLoad(float[] source, float[] weights, int[] offsets, int reps) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        FloatVector a6 = a0;
        FloatVector a7 = a0;
        for (int r = 0; r < reps; r++) {
            for (int k = 0; k < WEIGHTS - 8; k++) {
                int o = offsets[k];
                a0 = FloatVector.fromArray(S, source, o).fma(FloatVector.broadcast(S, weights[k]), a0);
                a1 = FloatVector.fromArray(S, source, o + 16).fma(FloatVector.broadcast(S, weights[k + 1]), a1);
                a2 = FloatVector.fromArray(S, source, o + 32).fma(FloatVector.broadcast(S, weights[k + 2]), a2);
                a3 = FloatVector.fromArray(S, source, o + 48).fma(FloatVector.broadcast(S, weights[k + 3]), a3);
                a4 = FloatVector.fromArray(S, source, o + 64).fma(FloatVector.broadcast(S, weights[k + 4]), a4);
                a5 = FloatVector.fromArray(S, source, o + 80).fma(FloatVector.broadcast(S, weights[k + 5]), a5);
                a6 = FloatVector.fromArray(S, source, o + 96).fma(FloatVector.broadcast(S, weights[k + 6]), a6);
                a7 = FloatVector.fromArray(S, source, o + 112).fma(FloatVector.broadcast(S, weights[k + 7]), a7);
            }
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).reduceLanes(
                VectorOperators.ADD);
    }

    /** Per weight k: two broadcast weights, each applied to 4 source vectors (8 FMAs, 8 loads, 2 broadcasts). */
    private static float sharedWeight(float[] source, float[] weights, int[] offsets, int reps) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        FloatVector a6 = a0;
        FloatVector a7 = a0;
        for (int r = 0; r < reps; r++) {
            for (int k = 0; k < WEIGHTS - 8; k++) {
                int o = offsets[k];
                int p = offsets[k + 1];
                FloatVector w0 = FloatVector.broadcast(S, weights[k]);
                FloatVector w1 = FloatVector.broadcast(S, weights[k + 1]);
                a0 = FloatVector.fromArray(S, source, o).fma(w0, a0);
                a1 = FloatVector.fromArray(S, source, o + 16).fma(w0, a1);
                a2 = FloatVector.fromArray(S, source, o + 32).fma(w0, a2);
                a3 = FloatVector.fromArray(S, source, o + 48).fma(w0, a3);
                a4 = FloatVector.fromArray(S, source, p).fma(w1, a4);
                a5 = FloatVector.fromArray(S, source, p + 16).fma(w1, a5);
                a6 = FloatVector.fromArray(S, source, p + 32).fma(w1, a6);
                a7 = FloatVector.fromArray(S, source, p + 48).fma(w1, a7);
            }
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).reduceLanes(
                VectorOperators.ADD);
    }

    /** Per weight k: two source vectors loaded, each used by 4 broadcast weights (8 FMAs, 2 loads). */
    private static float sharedLoad(float[] source, float[] weights, int[] offsets, int reps) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        FloatVector a6 = a0;
        FloatVector a7 = a0;
        for (int r = 0; r < reps; r++) {
            for (int k = 0; k < WEIGHTS - 8; k++) {
                int o = offsets[k];
                FloatVector s0 = FloatVector.fromArray(S, source, o);
                FloatVector s1 = FloatVector.fromArray(S, source, o + 16);
                FloatVector w0 = FloatVector.broadcast(S, weights[k]);
                FloatVector w1 = FloatVector.broadcast(S, weights[k + 1]);
                FloatVector w2 = FloatVector.broadcast(S, weights[k + 2]);
                FloatVector w3 = FloatVector.broadcast(S, weights[k + 3]);
                a0 = s0.fma(w0, a0);
                a1 = s0.fma(w1, a1);
                a2 = s0.fma(w2, a2);
                a3 = s0.fma(w3, a3);
                a4 = s1.fma(w0, a4);
                a5 = s1.fma(w1, a5);
                a6 = s1.fma(w2, a6);
                a7 = s1.fma(w3, a7);
            }
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).reduceLanes(
                VectorOperators.ADD);
    }
}
