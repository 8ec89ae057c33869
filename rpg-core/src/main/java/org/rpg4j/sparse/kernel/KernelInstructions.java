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
