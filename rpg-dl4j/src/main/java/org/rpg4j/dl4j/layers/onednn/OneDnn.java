package org.rpg4j.dl4j.layers.onednn;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.tensor.HostAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the fast convolution layer may call oneDNN directly: the switch (system property
 * {@value #PROPERTY}), the availability of the optional {@code org.bytedeco:dnnl} preset (its classes and
 * its {@code linux-x86_64} native jar, checked once per JVM and logged once when missing) and the
 * per-array conditions (ND4J's CPU backend, float32, 'c'-contiguous host memory).
 */
public final class OneDnn {

    /** The system property that chooses the {@link Mode}: {@code auto} (the default) or {@code libnd4j}. */
    public static final String PROPERTY = "rpg4j.convolution";

    /** System property: {@code false} stops training forwards from keeping their blocked input for backward. */
    public static final String KEEP_INPUT_PROPERTY = "rpg4j.convolution.keepInput";

    private static final Logger LOG = LoggerFactory.getLogger(OneDnn.class);
    private static final AtomicBoolean REPORTED = new AtomicBoolean();
    private static final AtomicBoolean REJECTED = new AtomicBoolean();

    /** Which code runs the fast convolution layer's training passes. */
    public enum Mode {
        /** oneDNN primitives called directly where {@link #available()} and the arrays allow, else libnd4j. */
        AUTO,
        /** libnd4j's {@code conv2d} / {@code conv2d_bp} ops always. */
        LIBND4J
    }

    private OneDnn() {
    }

    /**
     * @return the mode the system property {@value #PROPERTY} asks for ({@link Mode#AUTO} when unset)
     * @throws IllegalArgumentException if the property holds another value than {@code auto} or {@code libnd4j}
     */
    public static Mode mode() {
        String value = System.getProperty(PROPERTY, "auto");
        try {
            return Mode.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("system property " + PROPERTY + " must be 'auto' or 'libnd4j', got '"
                    + value + "'", e);
        }
    }

    /**
     * @return true if the system property {@value #KEEP_INPUT_PROPERTY} is {@code true}: training forwards then keep
     *     their blocked input for the backward pass (one copy of each convolution's input per layer); false by
     *     default (idle, the kept input made a ResNet-20 iteration 6 % slower: docs/performance.md)
     * @throws IllegalArgumentException if the property holds another value than {@code true} or {@code false}
     */
    public static boolean keepsInput() {
        String value = System.getProperty(KEEP_INPUT_PROPERTY, "false").trim();
        if (!"true".equals(value) && !"false".equals(value)) {
            throw new IllegalArgumentException("system property " + KEEP_INPUT_PROPERTY
                    + " must be 'true' or 'false', got '" + value + "'");
        }
        return "true".equals(value);
    }

    /**
     * @return true if the dnnl preset's classes and native libraries loaded and a CPU engine was created; the
     *     first call that finds them missing logs why, once per JVM, at INFO
     */
    public static boolean available() {
        return Probe.AVAILABLE;
    }

    /**
     * @param arrays arrays a convolution call reads or writes; null entries (no bias) are skipped; not modified
     * @return true if the mode is {@link Mode#AUTO}, oneDNN is {@link #available()} and every array is a
     *     float32 array in host memory with 'c'-contiguous elements
     */
    public static boolean applies(INDArray... arrays) {
        return mode() == Mode.AUTO && hostFloats(arrays);
    }

    /**
     * @param arrays arrays a oneDNN call reads or writes; null entries are skipped; not modified
     * @return true if oneDNN is {@link #available()} (whatever the convolution's {@link Mode}) and every array is a
     *     float32 array in host memory with 'c'-contiguous elements
     */
    public static boolean hostFloats(INDArray... arrays) {
        if (!Backend.CPU || !available()) {
            return false;
        }
        for (INDArray array : arrays) {
            if (array != null && (array.dataType() != DataType.FLOAT || array.isEmpty() || array.data() == null
                    || array.data().addressPointer() == null
                    || !HostAccess.isCContiguous(array.shape(), array.stride()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Logs, once per JVM at WARN, that oneDNN rejected a convolution geometry (the caller then runs libnd4j's ops).
     *
     * @param shape the geometry
     * @param cause oneDNN's failure
     */
    public static void reportRejected(Object shape, RuntimeException cause) {
        if (!REJECTED.getAndSet(true)) {
            LOG.warn("oneDNN rejected convolution {} ({}): it runs libnd4j's conv2d ops; further rejections are "
                    + "not logged", shape, cause.getMessage());
        }
    }

    /** ND4J's CPU backend (host memory), probed once. */
    private static final class Backend {
        static final boolean CPU = Nd4j.getEnvironment().isCPU();
    }

    /** Loads the preset once; a missing class or library leaves {@link #AVAILABLE} false. */
    private static final class Probe {
        static final boolean AVAILABLE = load();

        private static boolean load() {
            try {
                return Natives.engine() != null;
            } catch (LinkageError e) {
                if (!REPORTED.getAndSet(true)) {
                    LOG.info("oneDNN preset (org.bytedeco:dnnl {} with its linux-x86_64 natives) not usable ({}): "
                            + "convolutions run libnd4j's conv2d ops", "2.5.2-1.5.7", e.toString());
                }
                return false;
            }
        }
    }
}
