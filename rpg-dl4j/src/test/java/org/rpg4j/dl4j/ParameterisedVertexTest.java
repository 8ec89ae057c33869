package org.rpg4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Sgd;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.UnsupportedLayerPolicy;

/**
 * A graph vertex that holds parameters without being a layer ({@code SameDiffVertex}) is never
 * skipped silently: it is listed as unsupported (a warning under LENIENT), and STRICT refuses it.
 */
class ParameterisedVertexTest {

    /** Multiplies its input by a learned per-feature scale {@code s} of shape [1, 12]. */
    public static final class ScaleVertex extends SameDiffVertex {
        private static final long serialVersionUID = 1L;

        @Override
        public SDVariable defineVertex(SameDiff sameDiff, Map<String, SDVariable> layerInput,
                                       Map<String, SDVariable> paramTable, Map<String, SDVariable> maskVars) {
            return layerInput.get("in").mul(paramTable.get("s"));
        }

        @Override
        public void defineParametersAndInputs(SDVertexParams params) {
            params.defineInputs("in");
            params.addWeightParam("s", 1, 12);
        }

        @Override
        public void initializeParameters(Map<String, INDArray> params) {
            params.get("s").assign(1.0);
        }

        @Override
        public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
            return vertexInputs[0];
        }

        @Override
        public ScaleVertex clone() {
            return new ScaleVertex();
        }
    }

    @Test
    void parameterisedVertexIsReportedUnderLenientAndRefusedUnderStrict() {
        PruningConfig lenient = SaveRestoreTest.config().toBuilder().unsupportedLayers(UnsupportedLayerPolicy.LENIENT)
                .build();
        Pruning pruning = Dl4jPruning.attach(graph(), lenient);
        assertTrue(pruning.unsupportedLayers().stream().anyMatch(s -> s.startsWith("scale (")
                && s.contains("ScaleVertex") && s.contains("not a layer")), pruning.unsupportedLayers().toString());
        assertTrue(pruning.report().unsupportedLayers().equals(pruning.unsupportedLayers()));

        PruningConfig strict = lenient.toBuilder().unsupportedLayers(UnsupportedLayerPolicy.STRICT).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dl4jPruning.attach(graph(), strict));
        assertTrue(e.getMessage().contains("scale (") && e.getMessage().contains("not a layer"), e.getMessage());
    }

    private static ComputationGraph graph() {
        ComputationGraphConfiguration conf = Nets.base(new Sgd(0.05), Nets.Decay.NONE).graphBuilder().addInputs("in")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(6).activation(Activation.RELU).build(), "in")
                .addLayer("dense", new DenseLayer.Builder().nOut(12).activation(Activation.RELU).build(), "conv")
                .addVertex("scale", new ScaleVertex(), "dense")
                .addLayer("out", Nets.output(), "scale").setOutputs("out")
                .setInputTypes(InputType.convolutional(Nets.SIZE, Nets.SIZE, Nets.CHANNELS)).build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }
}
