package org.rpg4j.dl4j;

import java.util.List;
import java.util.function.Supplier;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
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
    private INDArray boundGradients;
    private BaseMultiLayerUpdater<?> boundUpdater;
    private SkippedStep skippedStep;
    private long maskVersion = -1;

    NetworkViews(NetworkAdapter net, Pruner pruner, List<TensorBinding> bindings) {
        this.net = net;
        this.pruner = pruner;
        this.bindings = bindings;
    }

    /** Re-derives the views if DL4J replaced the gradient array or the updater, and refreshes masks. */
    void sync() {
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
