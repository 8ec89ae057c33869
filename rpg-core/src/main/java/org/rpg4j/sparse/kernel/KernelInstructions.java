package org.rpg4j.sparse.kernel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which instructions the sparse kernels' inner loop uses. {@link #VECTOR_API} needs the JVM flag
 * {@code --add-modules jdk.incubator.vector} (Java 17+; the JVM then prints one "Using incubator
 * modules" warning); without it, {@link #best()} falls back to {@link #SCALAR}, which computes the
 * same results 3-4x slower.
 */
public enum KernelInstructions {
    /** Explicit SIMD through {@code jdk.incubator.vector} (AVX2: 8 floats per instruction). */
    VECTOR_API,
    /** Plain Java loops (HotSpot does not vectorise them: the arrays may alias). */
    SCALAR;

    private static final Logger LOG = LoggerFactory.getLogger(KernelInstructions.class);
    private static final String MODULE = "jdk.incubator.vector";
    private static final RowKernel VECTOR = loadVectorKernel();
    private static final RowKernel SCALAR_KERNEL = new SparseRows();
    private static final InterleavedKernel VECTOR_INTERLEAVED = VECTOR == null ? null : loadInterleavedKernel();
    private static final InterleavedKernel SCALAR_INTERLEAVED = new ScalarInterleaved();

    /** @return VECTOR_API when the JVM has the module, else SCALAR */
    public static KernelInstructions best() {
        return VECTOR != null ? VECTOR_API : SCALAR;
    }

    /** @return true if this JVM can run these instructions */
    public boolean available() {
        return this == SCALAR || VECTOR != null;
    }

    /**
     * @return the row kernel
     * @throws IllegalArgumentException for VECTOR_API when the module is missing
     */
    RowKernel kernel() {
        if (this == SCALAR) {
            return SCALAR_KERNEL;
        }
        if (VECTOR == null) {
            throw new IllegalArgumentException("instructions VECTOR_API need the JVM flag --add-modules " + MODULE
                    + "; use SCALAR or KernelInstructions.best()");
        }
        return VECTOR;
    }

    /**
     * @return the batch-interleaved kernel; with VECTOR_API on hardware whose preferred vector is not 16 floats
     *     (AVX2), the scalar one, since the Vector API kernel's one vector is one interleaved pixel of 16 images
     * @throws IllegalArgumentException for VECTOR_API when the module is missing
     */
    InterleavedKernel interleavedKernel() {
        kernel();
        return this == VECTOR_API && VECTOR_INTERLEAVED != null ? VECTOR_INTERLEAVED : SCALAR_INTERLEAVED;
    }

    private static InterleavedKernel loadInterleavedKernel() {
        try {
            InterleavedKernel kernel = (InterleavedKernel) Class.forName(KernelInstructions.class.getPackageName()
                    + ".VectorInterleaved").getDeclaredConstructor().newInstance();
            if (!kernel.fits()) {
                LOG.info("the interleaved kernel uses scalar loops: this CPU's preferred vector is not {} floats",
                        InterleavedLayout.GROUP);
                return null;
            }
            return kernel;
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.warn("the interleaved kernel uses scalar loops: its Vector API version did not load ({})",
                    e.toString());
            return null;
        }
    }

    private static RowKernel loadVectorKernel() {
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            LOG.info("sparse kernels use scalar loops: run the JVM with --add-modules {} for 3-4x faster ones",
                    MODULE);
            return null;
        }
        try {
            return (RowKernel) Class.forName(KernelInstructions.class.getPackageName() + ".VectorRows")
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.warn("sparse kernels use scalar loops: the Vector API kernel did not load ({})", e.toString());
            return null;
        }
    }
}
