package org.rpg4j.benchmarks.pytorch;

import java.util.Map;
import java.util.TreeMap;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Wall time per op kind of one training pass of a ComputationGraph, forward and backward: runs the
 * vertices one by one (forward in topological order, then backward in reverse order, as
 * {@code ComputationGraph.fit} does, without workspaces) and adds each vertex's time to its kind.
 * The parameter update is not run. Where a vertex feeds several others, their input gradients are
 * summed as DL4J does; that sum is counted as {@code add} backward.
 */
final class VertexTimes {

    /** Milliseconds per kind: {@code [forward, backward]}, summed over the passes run. */
    private final Map<String, double[]> millis = new TreeMap<>();
    /** Process CPU milliseconds (all threads) per kind: {@code [forward, backward]}, summed over the passes run. */
    private final Map<String, double[]> cpuMillis = new TreeMap<>();

    /** @return milliseconds per kind, {@code [forward, backward]}, summed over all passes so far */
    Map<String, double[]> millis() {
        return millis;
    }

    /**
     * @return the process's CPU milliseconds (every thread: the caller, libnd4j's and oneDNN's OpenMP threads, the
     *     fork-join pool) per kind, {@code [forward, backward]}, summed over all passes so far
     */
    Map<String, double[]> cpuMillis() {
        return cpuMillis;
    }

    /** @return the process's CPU time so far, nanoseconds */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * Runs one forward and backward pass of {@code net} on {@code data} and adds its times.
     *
     * @param net an initialised network whose gradient views exist (after one {@code fit})
     * @param data one batch
     */
    void pass(ComputationGraph net, DataSet data) {
        GraphVertex[] vertices = net.getVertices();
        int[] order = net.topologicalSortOrder();
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        INDArray[] activations = new INDArray[vertices.length];
        for (int i : order) {
            GraphVertex v = vertices[i];
            if (v.isInputVertex()) {
                activations[i] = data.getFeatures();
                continue;
            }
            for (VertexIndices in : v.getInputVertices()) {
                v.setInput(in.getVertexEdgeNumber(), activations[in.getVertexIndex()], mgr);
            }
            long start = System.nanoTime();
            long cpu = processCpuNanos();
            activations[i] = v.doForward(true, mgr);
            add(kind(v), 0, start, cpu);
        }
        INDArray[] epsilons = new INDArray[vertices.length];
        for (int o = order.length - 1; o >= 0; o--) {
            GraphVertex v = vertices[order[o]];
            if (v.isInputVertex()) {
                continue;
            }
            if (v.isOutputVertex()) {
                ((IOutputLayer) v.getLayer()).setLabels(data.getLabels());
            } else {
                v.setEpsilon(epsilons[order[o]]);
            }
            long start = System.nanoTime();
            long cpu = processCpuNanos();
            Pair<Gradient, INDArray[]> result = v.doBackward(false, mgr);
            add(kind(v), 1, start, cpu);
            sumInto(epsilons, v.getInputVertices(), result.getSecond());
        }
        for (GraphVertex v : vertices) {
            v.clear();
        }
    }

    private void sumInto(INDArray[] epsilons, VertexIndices[] inputs, INDArray[] gradients) {
        if (inputs == null) {
            return;
        }
        for (int k = 0; k < inputs.length; k++) {
            int target = inputs[k].getVertexIndex();
            if (epsilons[target] == null) {
                epsilons[target] = gradients[k];
            } else {
                long start = System.nanoTime();
                long cpu = processCpuNanos();
                epsilons[target] = epsilons[target].addi(gradients[k]);
                add("add", 1, start, cpu);
            }
        }
    }

    private void add(String kind, int direction, long startNanos, long startCpuNanos) {
        millis.computeIfAbsent(kind, key -> new double[2])[direction] += (System.nanoTime() - startNanos) / 1e6;
        cpuMillis.computeIfAbsent(kind, key -> new double[2])[direction] += (processCpuNanos() - startCpuNanos) / 1e6;
    }

    /** The kind of a vertex, in the vocabulary of {@code cifar_speed.py --profile}. */
    static String kind(GraphVertex v) {
        if (!v.hasLayer()) {
            return v.getClass().getSimpleName().contains("ElementWise") ? "add" : v.getClass().getSimpleName();
        }
        Layer layer = v.getLayer();
        String name = layer.conf().getLayer().getClass().getSimpleName();
        if (name.contains("Convolution")) {
            return "conv";
        }
        if (name.contains("BatchNormalization")) {
            return "batchnorm";
        }
        if (name.contains("Activation")) {
            return "relu";
        }
        if (name.contains("Pooling") || name.contains("Subsampling")) {
            return "pool";
        }
        return layer instanceof IOutputLayer ? "output" : name;
    }
}
