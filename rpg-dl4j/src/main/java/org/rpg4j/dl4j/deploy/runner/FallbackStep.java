package org.rpg4j.dl4j.deploy.runner;

import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A layer or vertex the runner does not compile: DL4J's own inference ({@code activate(false)} or
 * {@code doForward(false)}) on the ND4J form of its inputs, without workspaces. Pooling, activation
 * layers, element-wise and merge vertices, and every layer type without a sparse kernel run here.
 */
final class FallbackStep implements Step {

    private final String name;
    private final GraphVertex vertex;
    private final Layer layer;
    private final InputPreProcessor preProcessor;

    private FallbackStep(String name, GraphVertex vertex, Layer layer, InputPreProcessor preProcessor) {
        this.name = name;
        this.vertex = vertex;
        this.layer = layer;
        this.preProcessor = preProcessor;
    }

    /** @return a step running a ComputationGraph vertex (with its preprocessor, if a layer vertex) */
    static FallbackStep of(GraphVertex vertex) {
        return new FallbackStep(vertex.getVertexName(), vertex, null, null);
    }

    /** @return a step running one layer of a MultiLayerNetwork after its input preprocessor (or null) */
    static FallbackStep of(String name, Layer layer, InputPreProcessor preProcessor) {
        return new FallbackStep(name, null, layer, preProcessor);
    }

    @Override
    public Tensor run(Tensor[] inputs) {
        LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();
        INDArray out;
        if (vertex != null) {
            for (int i = 0; i < inputs.length; i++) {
                vertex.setInput(i, inputs[i].array(), workspaces);
            }
            if (vertex instanceof LayerVertex layerVertex) {
                layerVertex.applyPreprocessorAndSetInput(workspaces);
            }
            out = vertex.doForward(false, workspaces);
            vertex.clear();
        } else {
            INDArray x = inputs[0].array();
            if (preProcessor != null) {
                x = preProcessor.preProcess(x, (int) x.size(0), workspaces);
            }
            out = layer.activate(x, false, workspaces);
            layer.clear();
        }
        return Tensor.of(out);
    }

    @Override
    public List<LayerChoice> choices() {
        String kind = vertex == null ? layer.conf().getLayer().getClass().getSimpleName()
                : vertex.hasLayer() ? vertex.getLayer().conf().getLayer().getClass().getSimpleName()
                : vertex.getClass().getSimpleName();
        return List.of(new LayerChoice(name, kind, Double.NaN, 0, Double.NaN, Double.NaN, KernelKind.DL4J));
    }
}
