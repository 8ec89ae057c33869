package org.rpg4j.tensor;

import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The probe that decides whether rpg-core may read and write an array's memory directly (its
 * host pointer: bulk copies, LAPACK through OpenBLAS) or must go through ND4J's generic API.
 *
 * <p>The direct route needs ND4J's CPU backend ({@code nd4j-native}, whose buffers live in host
 * memory) and, for {@link #openBlasLapack()}, the OpenBLAS preset classes that backend brings.
 * Any other backend (CUDA, or a backend rpg-core does not know) gets the generic route, which
 * gives the same results (the tests run both). The system property {@value #PROPERTY} set to
 * {@code generic} forces the generic route everywhere; {@code auto} (the default) probes.
 */
public final class HostAccess {
    /** The system property that chooses the {@link Mode}: {@code auto} or {@code generic}. */
    public static final String PROPERTY = "rpg4j.hostAccess";

    /** How rpg-core reaches array memory. */
    public enum Mode {
        /** Direct host-pointer routes where the probe allows them, generic ones elsewhere. */
        AUTO,
        /** ND4J's generic API only (as on a GPU backend). */
        GENERIC
    }

    private HostAccess() {
    }

    /**
     * @return the mode the system property {@value #PROPERTY} asks for ({@link Mode#AUTO} when unset)
     * @throws IllegalArgumentException if the property holds another value than {@code auto} or {@code generic}
     */
    public static Mode mode() {
        String value = System.getProperty(PROPERTY, "auto");
        try {
            return Mode.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("system property " + PROPERTY + " must be 'auto' or 'generic', got '"
                    + value + "'", e);
        }
    }

    /**
     * @param shape an array's shape
     * @param stride its strides in elements, one per axis of {@code shape}
     * @return true if the elements lie in 'c' order without gaps (an axis of size 1 is never stepped
     *     over, so its stride does not matter)
     */
    public static boolean isCContiguous(long[] shape, long[] stride) {
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    /**
     * @param array an array; not modified
     * @return true if its memory may be read and written through its host pointer: mode
     *     {@link Mode#AUTO}, ND4J's CPU backend, a float or double buffer with a host pointer
     */
    public static boolean hostPointer(INDArray array) {
        if (mode() != Mode.AUTO || !Probe.CPU_BACKEND || array == null || array.isEmpty()) {
            return false;
        }
        DataType type = array.dataType();
        return (type == DataType.FLOAT || type == DataType.DOUBLE) && array.data() != null
                && array.data().addressPointer() != null;
    }

    /**
     * @return true if LAPACK may be called on OpenBLAS directly (with host pointers): mode
     *     {@link Mode#AUTO}, ND4J's CPU backend and the OpenBLAS preset classes on the class path
     */
    public static boolean openBlasLapack() {
        return mode() == Mode.AUTO && Probe.CPU_BACKEND && Probe.OPENBLAS_CLASSES;
    }

    /** What does not change while the JVM runs, probed once. */
    private static final class Probe {
        static final boolean CPU_BACKEND = Nd4j.getEnvironment().isCPU()
                && classPresent("org.nd4j.linalg.cpu.nativecpu.CpuBackend");
        static final boolean OPENBLAS_CLASSES = classPresent("org.bytedeco.openblas.global.openblas");

        private static boolean classPresent(String name) {
            try {
                Class.forName(name, false, HostAccess.class.getClassLoader());
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }
    }
}
