package org.rpg4j.dl4j.layers;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.rpg4j.tensor.HostAccess;

/**
 * The parameter update of the fast layers as Java loops over host memory: DL4J's {@code Sgd}, {@code Nesterovs}
 * and {@code Adam} updaters and its {@code L2Regularization} and {@code WeightDecay}, each one pass over the
 * float32 arrays of an updater block or parameter, instead of one libnd4j op each. libnd4j's updater ops split
 * arrays of 2,048 elements or more across its threads (1,024 elements per thread, fixed in {@code ThreadsHelper},
 * not changed by {@code Environment.setElementwiseThreshold}); for ResNet-20's update, about 100 ops of 2,304-36,864
 * elements, the hand-over costs more than the arithmetic (docs/performance.md, "Session 9: the update").
 *
 * <p>The fast layers' configurations return these versions from {@code getUpdaterByParam} and
 * {@code getRegularizationByParam}; the configuration objects themselves (and so JSON, serialized models and
 * updater state layout) are DL4J's. Each version is a subclass of DL4J's class and equal to it, so DL4J still
 * merges equal configurations into one updater block, and reads its settings (learning rate and its schedule,
 * momentum, betas) from the user's configuration object at every step, as DL4J's own updater does. The Java
 * loop computes DL4J's (libnd4j's) formula in float32, in the same order; results agree up to float rounding
 * (libnd4j's compiler may fuse a multiply-add). Arrays that are not float32 'c'-contiguous host memory, mode
 * {@code generic} of {@link HostAccess#PROPERTY}, and the system property {@value #PROPERTY} set to {@code dl4j}
 * run DL4J's code.
 */
final class HostUpdates {
    /** System property: {@code dl4j} runs DL4J's updater and regularization ops; {@code auto} (default) Java loops. */
    static final String PROPERTY = "rpg4j.update";

    private HostUpdates() {
    }

    /**
     * @param updater a parameter's updater configuration (may be null)
     * @return the Java-loop version of {@code Sgd}, {@code Nesterovs} or {@code Adam} (exact classes), equal to
     *     {@code updater} and reading its settings; any other updater itself
     */
    static IUpdater forParam(IUpdater updater) {
        if (updater == null) {
            return null;
        }
        Class<?> type = updater.getClass();
        if (type == Nesterovs.class) {
            return new HostUpdaters.HostNesterovs((Nesterovs) updater);
        } else if (type == Adam.class) {
            return new HostUpdaters.HostAdam((Adam) updater);
        } else if (type == Sgd.class) {
            return new HostUpdaters.HostSgd((Sgd) updater);
        }
        return updater;
    }

    /**
     * @param regularizations a parameter's regularizations (may be null); not modified
     * @return a new list in the same order with every exact {@code L2Regularization} and {@code WeightDecay}
     *     replaced by its Java-loop version (equal to it); others (rpg4j's hooks) kept; null for null
     */
    static List<Regularization> forParam(List<Regularization> regularizations) {
        if (regularizations == null || regularizations.isEmpty()) {
            return regularizations;
        }
        List<Regularization> host = new ArrayList<>(regularizations.size());
        for (Regularization r : regularizations) {
            if (r != null && r.getClass() == L2Regularization.class) {
                host.add(new HostRegularizations.HostL2((L2Regularization) r));
            } else if (r != null && r.getClass() == WeightDecay.class) {
                host.add(new HostRegularizations.HostWeightDecay((WeightDecay) r));
            } else {
                host.add(r);
            }
        }
        return host;
    }

    /**
     * @return true unless the system property {@value #PROPERTY} is {@code dl4j}
     * @throws IllegalArgumentException if the property holds another value than {@code auto} or {@code dl4j}
     */
    static boolean enabled() {
        return SwitchProperty.isOn(PROPERTY, "auto", "dl4j");
    }

    /**
     * @param length the number of elements every array must have
     * @param arrays arrays to read or write through their host memory
     * @return true if the Java loops are on ({@link #enabled}) and every array is float32, 'c'-contiguous, on
     *     ND4J's CPU backend ({@link HostAccess#hostPointer}) and of {@code length} elements, at most
     *     {@code Integer.MAX_VALUE}
     */
    static boolean applicable(long length, INDArray... arrays) {
        if (length > Integer.MAX_VALUE || !enabled()) {
            return false;
        }
        for (INDArray a : arrays) {
            if (a == null || a.dataType() != DataType.FLOAT || a.length() != length
                    || !HostAccess.isCContiguous(a.shape(), a.stride()) || !HostAccess.hostPointer(a)) {
                return false;
            }
        }
        return true;
    }

    /** @return the elements of an {@link #applicable} array in 'c' order (the caller keeps the array reachable) */
    static FloatBuffer floats(INDArray array) {
        return ChannelKernels.floats(array);
    }
}
