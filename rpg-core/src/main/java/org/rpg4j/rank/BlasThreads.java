package org.rpg4j.rank;

import org.nd4j.linalg.factory.Nd4j;

/**
 * The BLAS thread count of ND4J's backend ({@code Nd4j.factory().blas()}), for work that runs
 * several decompositions side by side on its own threads: each BLAS/LAPACK call should then use one
 * thread, or the callers' threads and the BLAS threads oversubscribe the cores (measured on 2 cores:
 * see docs/performance.md, "Session 10: the rank-loss gradient").
 */
public final class BlasThreads {
    private BlasThreads() {}

    /** @return the BLAS thread count ND4J reports */
    public static int current() {
        return Nd4j.factory().blas().getMaxThreads();
    }

    /**
     * Sets the BLAS thread count: process-wide for a pthreads build of OpenBLAS, the calling
     * thread's OpenMP setting for an OpenMP build, so call it on every thread that runs BLAS and
     * restore the value of {@link #current()} on each of them afterwards.
     *
     * @param threads &ge; 1
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static void set(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        Nd4j.factory().blas().setMaxThreads(threads);
    }
}
