package org.rpg4j.dl4j.deploy.runner;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.sparse.kernel.CallThreads;
import org.rpg4j.sparse.kernel.KernelThreading;

/**
 * Untimed calls of a runner compiled under {@link KernelPolicy#SPARSE}, made before a runner under {@link
 * KernelPolicy#MEASURED} times its kernels, so that the timing sees compiled Java kernels.
 *
 * <p>Why: a runner times a layer's kernels at its first calls with a batch size and settles them on a few warm
 * runs; a Java kernel whose code path no other layer has run yet is timed before the JIT compiles it, and the Vector
 * API runs 100-1000x slower uncompiled. On a ResNet-56 with 70 % of its channels removed, at blocks of 4 images, the
 * 1x1 stride-2 projection 10->20 timed its sparse kernel at 5.8-6.3 ms against oneDNN's 0.03-0.27 ms, kept oneDNN
 * after settling (the sparse kernel, no longer run, never got compiled) and ran it at 0.04-0.17 ms per block where
 * the compiled sparse kernel takes 0.005-0.010 ms (docs/structured.md, session 14). The JIT's code is shared by every
 * runner in the JVM, so a throw-away runner compiled from the same network warms the paths the measured one times.
 */
final class KernelWarmUp {

    /** The warm-up stops after this many calls without a call 5 % faster than the fastest so far... */
    static final int PATIENCE_CALLS = 30;
    /** ... and at least this long without one (ms): a large method's compilation takes a while under load. */
    static final long PATIENCE_MILLIS = 200;
    /**
     * The warm-up stops after this many calls or this long (ms) in any case: 200 calls compiled the cold kernel above,
     * 50 did not; under load 4-6 an unbounded warm-up (up to 600 calls) of the 50 % ResNet-56 at batch 64 took 36 s.
     */
    static final int MAX_CALLS = 200;
    static final long MAX_MILLIS = 3000;

    private KernelWarmUp() {
    }

    /**
     * Runs untimed calls on the caller until they stop getting faster (or the bounds above).
     *
     * @param sparse a runner compiled under {@link KernelPolicy#SPARSE} from the network to warm
     * @param inputs checked inputs of the batch size to warm
     * @return the calls made
     */
    static int warm(SparseRunner sparse, INDArray[] inputs) {
        long fastest = Long.MAX_VALUE;
        int callsSince = 0;
        long first = System.nanoTime();
        long since = first;
        int call = 0;
        while (call < MAX_CALLS && System.nanoTime() - first < MAX_MILLIS * 1_000_000L) {
            long start = System.nanoTime();
            KernelThreading.callWith(CallThreads.CALLER, () -> sparse.output(inputs));
            long end = System.nanoTime();
            call++;
            if (end - start < fastest * 0.95) {
                fastest = end - start;
                callsSince = 0;
                since = end;
            } else if (++callsSince >= PATIENCE_CALLS && end - since >= PATIENCE_MILLIS * 1_000_000L) {
                break;
            }
        }
        return call;
    }
}
