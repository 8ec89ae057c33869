package org.rpg4j.dl4j.shrink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.dl4j.graph.AxisChannels;
import org.rpg4j.dl4j.graph.ChannelDependencies;
import org.rpg4j.dl4j.graph.NetworkNode;
import org.rpg4j.structured.KeepSelection;
import org.rpg4j.structured.SliceRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a physically smaller copy of an analysed network: every layer keeps only the surviving
 * channels of its parameters (filters, input channels, biases, batch-norm parameters and running
 * statistics), {@code nIn}/{@code nOut} and flatten preprocessors follow, and the constant output of
 * a removed channel (for example an all-zero filter followed by batch norm: {@code beta - gamma *
 * mean / std}, through the activation) is folded into the biases of the layers that read it. The
 * original network is not modified. By default ({@link UpdaterStatePolicy#COPY}) the new network's
 * updater continues from the original's: momentum, Adam/AdaMax/Nadam/AMSGrad moments, AdaGrad and
 * RMSProp accumulators are sliced exactly like the parameters, and the iteration and epoch counts
 * (Adam's bias correction) are copied; {@link UpdaterStatePolicy#FRESH} starts from zero.
 */
public final class NetworkShrinker {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkShrinker.class);
    private NetworkShrinker() {}

    /**
     * @param deps the analysis of the network to shrink
     * @param selection channels to keep per group
     * @return the new network and any inexact folds
     * @throws IllegalArgumentException if the selection does not fit the groups (wrong length, a
     *     locked group losing channels, an unknown group id) or a group would keep no channel
     */
    public static ShrinkResult shrink(ChannelDependencies deps, KeepSelection selection) {
        return shrink(deps, selection, UpdaterStatePolicy.COPY);
    }

    /**
     * @param deps the analysis of the network to shrink
     * @param selection channels to keep per group
     * @param updaterState whether the new network's updater starts from the original's state (sliced like the
     *     parameters, with the original's iteration and epoch counts) or from zero
     * @return the new network and any inexact folds
     * @throws IllegalArgumentException if an argument is null, the selection does not fit the groups (wrong
     *     length, a locked group losing channels, an unknown group id) or a group would keep no channel
     */
    public static ShrinkResult shrink(ChannelDependencies deps, KeepSelection selection,
                                      UpdaterStatePolicy updaterState) {
        if (deps == null || selection == null || updaterState == null) {
            throw new IllegalArgumentException((deps == null ? "deps" : selection == null ? "selection"
                    : "updaterState") + " must not be null");
        }
        long start = System.nanoTime();
        boolean[][] keep = deps.keepMasks(selection);
        ConstantChannels constants = ConstantChannels.of(deps);
        long constantsDone = System.nanoTime();
        Model original = deps.graph().model();
        ConfigurationResize resize = new ConfigurationResize(deps, keep);
        Model shrunk;
        if (original instanceof MultiLayerNetwork mln) {
            MultiLayerNetwork net = new MultiLayerNetwork(resize.resize(mln.getLayerWiseConfigurations()));
            net.init();
            shrunk = net;
        } else {
            ComputationGraph net = new ComputationGraph(resize.resize(((ComputationGraph) original)
                    .getConfiguration()));
            net.init();
            shrunk = net;
        }
        resize.restoreWeightInit(shrunk);
        long built = System.nanoTime();
        List<String> inexact = new ArrayList<>();
        for (NetworkNode n : deps.graph().nodes()) {
            if (!n.params().isEmpty()) {
                copyParams(deps, keep, constants, n, layerOf(shrunk, n.name()), inexact);
            }
        }
        long copied = System.nanoTime();
        if (updaterState == UpdaterStatePolicy.COPY) {
            UpdaterStateCopy.copy(deps, keep, shrunk);
        }
        LOG.debug("shrink: constants {} ms, new network {} ms, parameters {} ms, updater state {} ms",
                (constantsDone - start) / 1_000_000, (built - constantsDone) / 1_000_000, (copied - built) / 1_000_000,
                (System.nanoTime() - copied) / 1_000_000);
        return new ShrinkResult(shrunk, inexact);
    }

    private static org.deeplearning4j.nn.api.Layer layerOf(Model net, String name) {
        return net instanceof MultiLayerNetwork m ? m.getLayer(name) : ((ComputationGraph) net).getLayer(name);
    }

    private static void copyParams(ChannelDependencies deps, boolean[][] keep, ConstantChannels constants,
                                   NetworkNode n, org.deeplearning4j.nn.api.Layer target, List<String> inexact) {
        INDArray fold = fold(deps, keep, constants, n, inexact);
        for (Map.Entry<String, INDArray> e : n.params().entrySet()) {
            INDArray value = e.getValue();
            if (fold != null && e.getKey().equals("b")) {
                value = value.add(fold.reshape(value.shape()));
            }
            value = sliced(deps, keep, n.name(), e.getKey(), value);
            INDArray slot = target.getParam(e.getKey());
            if (!java.util.Arrays.equals(slot.shape(), value.shape())) {
                throw new IllegalStateException("shrinking '" + n.name() + "/" + e.getKey() + "' gave shape "
                        + java.util.Arrays.toString(value.shape()) + " but the new layer expects "
                        + java.util.Arrays.toString(slot.shape()));
            }
            target.setParam(e.getKey(), value);
        }
    }

    /**
     * @param value a tensor shaped like parameter {@code param} of {@code layer} (the parameter itself or an
     *     updater state component of it); not modified
     * @return its entries on kept channels along every channel axis of that parameter
     */
    static INDArray sliced(ChannelDependencies deps, boolean[][] keep, String layer, String param, INDArray value) {
        INDArray out = value;
        for (AxisChannels axis : deps.axes(layer)) {
            if (axis.param().equals(param)) {
                out = select(out, axis.axis(), axis.channels().kept(keep));
            }
        }
        return out;
    }

    /** @return the bias increment from removed constant inputs, or null */
    private static INDArray fold(ChannelDependencies deps, boolean[][] keep, ConstantChannels constants,
                                 NetworkNode n, List<String> inexact) {
        boolean consumes = deps.axes(n.name()).stream().anyMatch(a -> a.role() == SliceRole.CONSUMER);
        if (!consumes) {
            return null;
        }
        boolean[] kept = deps.inputs(n.name()).kept(keep);
        double[] in = constants.inputs(n.name());
        double[] removed = new double[kept.length];
        int nonzero = 0;
        for (int i = 0; i < kept.length; i++) {
            if (!kept[i] && Double.isFinite(in[i]) && in[i] != 0.0) {
                removed[i] = in[i];
                nonzero++;
            }
        }
        if (nonzero == 0) {
            return null;
        }
        if (!BiasFolding.isExact(n)) {
            inexact.add(n.name() + ": " + nonzero + " input positions");
            return WeightLayout.of(n.layer()) != null && n.params().containsKey("b")
                    && (WeightLayout.of(n.layer()).kind() == WeightLayout.Kind.CONVOLUTION)
                            ? BiasFolding.contribution(n, removed) : null;
        }
        return BiasFolding.contribution(n, removed);
    }

    /** @return the entries of {@code a} whose index along {@code axis} is kept (a copy; {@code a} itself if all are) */
    static INDArray select(INDArray a, int axis, boolean[] kept) {
        int count = 0;
        for (boolean k : kept) {
            count += k ? 1 : 0;
        }
        if (count == kept.length) {
            return a;
        }
        long[] shape = a.shape();
        long outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= shape[d];
        }
        int inner = (int) (a.length() / outer / shape[axis]);
        long[] newShape = shape.clone();
        newShape[axis] = count;
        // C order: element (o, i, r) sits at (o * n + i) * inner + r; copy the kept runs of `inner` values
        INDArray c = a.dup('c');
        if (a.dataType() == DataType.DOUBLE) {
            double[] dst = new double[(int) (outer * count * inner)];
            copyKeptRuns(c.data().asDouble(), dst, outer, kept, inner);
            return Nd4j.create(dst, newShape, 'c');
        }
        float[] dst = new float[(int) (outer * count * inner)];
        copyKeptRuns(c.castTo(DataType.FLOAT).data().asFloat(), dst, outer, kept, inner);
        return Nd4j.create(dst, newShape, 'c').castTo(a.dataType());
    }

    /**
     * Copies the kept runs of a C-order array {@code [outer, kept.length, inner]} one after the other into
     * {@code dst}.
     *
     * @param src the source, a {@code double[]} or {@code float[]} of {@code outer * kept.length * inner} values
     * @param dst the destination, the same array type with {@code outer * (kept count) * inner} values (written)
     */
    private static void copyKeptRuns(Object src, Object dst, long outer, boolean[] kept, int inner) {
        int at = 0;
        for (long o = 0; o < outer; o++) {
            for (int i = 0; i < kept.length; i++) {
                if (kept[i]) {
                    System.arraycopy(src, (int) ((o * kept.length + i) * inner), dst, at, inner);
                    at += inner;
                }
            }
        }
    }
}
