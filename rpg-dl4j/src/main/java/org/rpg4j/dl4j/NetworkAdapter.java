package org.rpg4j.dl4j;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The few operations rpg4j needs from a {@link MultiLayerNetwork} or a {@link ComputationGraph}. */
abstract sealed class NetworkAdapter permits NetworkAdapter.Mln, NetworkAdapter.Graph {

    /**
     * @param model an initialised {@link MultiLayerNetwork} or {@link ComputationGraph}
     * @throws IllegalArgumentException for any other model type
     * @throws IllegalStateException if the network was not initialised
     */
    static NetworkAdapter of(Model model) {
        if (model instanceof MultiLayerNetwork mln) {
            requireInitialised(mln.getLayers(), "MultiLayerNetwork");
            return new Mln(mln);
        }
        if (model instanceof ComputationGraph cg) {
            requireInitialised(cg.getLayers(), "ComputationGraph");
            return new Graph(cg);
        }
        throw new IllegalArgumentException("net must be a MultiLayerNetwork or a ComputationGraph, got "
                + (model == null ? "null" : model.getClass().getName()));
    }

    private static void requireInitialised(Layer[] layers, String type) {
        if (layers == null) {
            throw new IllegalStateException("the " + type + " is not initialised: call net.init() before "
                    + "attaching rpg4j");
        }
    }

    abstract Model model();

    /** @return the network's layers (runtime objects) */
    abstract Layer[] layers();

    /** @return the flat parameter vector (length = number of parameters); not a copy */
    final INDArray params() {
        INDArray p = model().params();
        return p.rank() == 1 ? p : p.reshape(p.ordering(), new long[] {p.length()});
    }

    /** @return the flat gradient array (shape [1, n] or [n]), created if the network has none yet */
    abstract INDArray flatGradients();

    /**
     * @param create whether to create the updater if the network has none yet
     * @return the updater, or null if absent and {@code create} is false
     */
    abstract BaseMultiLayerUpdater<?> updater(boolean create);

    /** @return DL4J's 0-based count of completed iterations */
    abstract int iterationCount();

    /** @return DL4J's count of completed epochs */
    abstract int epochCount();

    /** Sets DL4J's iteration and epoch counters (kept in the network configuration). */
    abstract void setCounts(int iterations, int epochs);

    /** @return examples in the current minibatch (valid during an iteration) */
    final long batchSize() {
        return Math.max(1, model().batchSize());
    }

    /** @return whether DL4J's updater divides the gradient by the minibatch size ({@code miniBatch(true)}) */
    final boolean miniBatch() {
        return model().conf() == null || model().conf().isMiniBatch();
    }

    abstract Collection<TrainingListener> listeners();

    abstract void setListeners(Collection<TrainingListener> listeners);

    /** @return the network configuration as DL4J's JSON */
    abstract String configurationJson();

    /** Writes the network with {@link ModelSerializer}. */
    final void write(File file, boolean saveUpdater) throws IOException {
        ModelSerializer.writeModel(model(), file, saveUpdater);
    }

    /** Puts {@code listener} first (or keeps it where it is if already present). */
    final void addListenerFirst(TrainingListener listener) {
        Collection<TrainingListener> current = listeners();
        if (current != null && current.contains(listener)) {
            return;
        }
        List<TrainingListener> list = new ArrayList<>();
        list.add(listener);
        if (current != null) {
            list.addAll(current);
        }
        setListeners(list);
    }

    /** Removes {@code listener} if present. */
    final void removeListener(TrainingListener listener) {
        Collection<TrainingListener> current = listeners();
        if (current != null && current.contains(listener)) {
            List<TrainingListener> list = new ArrayList<>(current);
            list.remove(listener);
            setListeners(list);
        }
    }

    static BaseMultiLayerUpdater<?> checkUpdater(Updater updater) {
        if (updater == null || updater instanceof BaseMultiLayerUpdater<?>) {
            return (BaseMultiLayerUpdater<?>) updater;
        }
        throw new IllegalStateException("rpg4j needs DL4J's BaseMultiLayerUpdater, the network uses "
                + updater.getClass().getName());
    }

    static final class Mln extends NetworkAdapter {
        private final MultiLayerNetwork net;

        Mln(MultiLayerNetwork net) {
            this.net = net;
        }

        @Override
        Model model() {
            return net;
        }

        @Override
        Layer[] layers() {
            return net.getLayers();
        }

        @Override
        INDArray flatGradients() {
            if (net.getFlattenedGradients() == null) {
                net.initGradientsView();
            }
            return net.getFlattenedGradients();
        }

        @Override
        BaseMultiLayerUpdater<?> updater(boolean create) {
            return checkUpdater(net.getUpdater(create));
        }

        @Override
        int iterationCount() {
            return net.getIterationCount();
        }

        @Override
        int epochCount() {
            return net.getEpochCount();
        }

        @Override
        void setCounts(int iterations, int epochs) {
            net.getLayerWiseConfigurations().setIterationCount(iterations);
            net.getLayerWiseConfigurations().setEpochCount(epochs);
        }

        @Override
        Collection<TrainingListener> listeners() {
            return net.getListeners();
        }

        @Override
        void setListeners(Collection<TrainingListener> listeners) {
            net.setListeners(listeners);
        }

        @Override
        String configurationJson() {
            return net.getLayerWiseConfigurations().toJson();
        }
    }

    static final class Graph extends NetworkAdapter {
        private final ComputationGraph net;

        Graph(ComputationGraph net) {
            this.net = net;
        }

        @Override
        Model model() {
            return net;
        }

        @Override
        Layer[] layers() {
            return net.getLayers();
        }

        @Override
        INDArray flatGradients() {
            if (net.getFlattenedGradients() == null) {
                net.initGradientsView();
            }
            return net.getFlattenedGradients();
        }

        @Override
        BaseMultiLayerUpdater<?> updater(boolean create) {
            return net.getUpdater(create);
        }

        @Override
        int iterationCount() {
            return net.getIterationCount();
        }

        @Override
        int epochCount() {
            return net.getEpochCount();
        }

        @Override
        void setCounts(int iterations, int epochs) {
            net.getConfiguration().setIterationCount(iterations);
            net.getConfiguration().setEpochCount(epochs);
        }

        @Override
        Collection<TrainingListener> listeners() {
            return net.getListeners();
        }

        @Override
        void setListeners(Collection<TrainingListener> listeners) {
            net.setListeners(listeners);
        }

        @Override
        String configurationJson() {
            return net.getConfiguration().toJson();
        }
    }
}
