package org.rpg4j.dl4j;

import java.util.List;
import java.util.function.Supplier;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.prune.Pruner;

/**
 * Keeps the bindings' views current: re-points them when DL4J replaces its flat gradient array or
 * its updater (as {@code setUpdater} or a restore does), and refreshes the cached flat masks when
 * the pruner's masks change ({@link Pruner#maskVersion()}). Each check is an identity or counter
 * comparison, so calling {@link #sync()} every iteration costs nothing measurable.
 */
final class NetworkViews {
    private final NetworkAdapter net;
    private final Pruner pruner;
    private final List<TensorBinding> bindings;
    private final DataBuffer boundParams;
    private final List<org.deeplearning4j.nn.api.Layer> owners;
    private INDArray boundGradients;
    private BaseMultiLayerUpdater<?> boundUpdater;
    private SkippedStep skippedStep;
    private long maskVersion = -1;

    NetworkViews(NetworkAdapter net, Pruner pruner, List<TensorBinding> bindings) {
        this.net = net;
        this.pruner = pruner;
        this.bindings = bindings;
        this.boundParams = TensorBinding.base(net.params().data());
        this.owners = bindings.stream().map(b -> owner(net, b.layerName())).toList();
    }

    private static org.deeplearning4j.nn.api.Layer owner(NetworkAdapter net, String layerName) {
        for (org.deeplearning4j.nn.api.Layer l : net.layers()) {
            if (layerName.equals(l.conf().getLayer().getLayerName())) {
                return l;
            }
        }
        throw new IllegalStateException("layer '" + layerName + "' is not in the network");
    }

    /**
     * Re-derives the views if DL4J replaced the gradient array or the updater, and refreshes masks.
     *
     * @throws IllegalStateException if the network's flat parameter array was replaced since attach
     */
    void sync() {
        if (TensorBinding.base(net.params().data()) != boundParams) {
            throw new IllegalStateException("the network's flat parameter array was replaced after "
                    + "Dl4jPruning.attach: rpg4j's masks and views still point at the old array. Replace parameters before "
                    + "attaching, or finish() this run and attach again");
        }
        for (int i = 0; i < bindings.size(); i++) {
            TensorBinding b = bindings.get(i);
            INDArray current = owners.get(i).getParam(b.paramKey());
            if (current == null || TensorBinding.base(current.data()) != boundParams) {
                throw new IllegalStateException("the weights '" + b.name() + "' were given another array after "
                        + "Dl4jPruning.attach (setParamTable on the layer): rpg4j's masks and "
                        + "views still point at the network's flat parameter array. Replace parameters before "
                        + "attaching, or finish() this run and attach again");
            }
        }
        INDArray gradients = net.flatGradients();
        if (gradients != boundGradients) {
            bindings.forEach(b -> b.bindGradients(gradients));
            boundGradients = gradients;
        }
        syncMasks();
        BaseMultiLayerUpdater<?> updater = net.updater(true);
        if (updater != boundUpdater) {
            UpdaterStateSlices.locate(updater, bindings);
            bindings.forEach(TensorBinding::maskState);
            boundUpdater = updater;
        }
    }

    /** Copies the pruner's masks into the bindings if they changed since the last call. */
    void syncMasks() {
        if (pruner.maskVersion() == maskVersion) {
            return;
        }
        outsideWorkspaces(() -> {
            bindings.forEach(b -> b.setMask(pruner.mask(b.name())));
            return null;
        });
        maskVersion = pruner.maskVersion();
    }

    /**
     * @param param a parameter view DL4J handed to a hook of layer {@code layerName}
     * @throws IllegalStateException if it is not a view of this network's parameters
     */
    void checkOwnParameters(INDArray param, String layerName) {
        if (TensorBinding.base(param.data()) != boundParams) {
            throw new IllegalStateException("layer '" + layerName + "' of the network being trained carries rpg4j "
                    + "hooks bound to another network: it shares that network's layer configurations (it was built "
                    + "from the same configuration object). Give each network its own configuration (clone it before attaching), "
                    + "or to continue pruning a copy save it with Pruning.save and use Dl4jPruning.restore");
        }
    }

    /** @return the snapshot/restore of the skipped step for the current updater (created on first use) */
    SkippedStep skippedStep() {
        if (skippedStep == null || skippedStep.updater() != boundUpdater) {
            skippedStep = new SkippedStep(net.params(), boundUpdater);
        }
        return skippedStep;
    }

    /** Runs {@code work} with no workspace active, so the arrays it creates outlive the iteration. */
    static <T> T outsideWorkspaces(Supplier<T> work) {
        MemoryWorkspace scope = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
        try {
            return work.get();
        } finally {
            scope.close();
        }
    }
}
