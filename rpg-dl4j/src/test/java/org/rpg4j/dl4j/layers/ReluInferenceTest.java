package org.rpg4j.dl4j.layers;

import static org.rpg4j.dl4j.layers.TestArrays.assertClose;
import static org.rpg4j.dl4j.layers.TestArrays.gaussian;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * FastActivationLayer's inference ReLU: a Java loop below {@link BatchNormInference#SEQUENTIAL_ELEMENTS}
 * elements, the native op above; bit-identical to DL4J's ActivationLayer either way, input untouched.
 */
class ReluInferenceTest {

    private static final int CHANNELS = 4;
    private static final int SIZE = 8;

    /** @param batch 1 and 3: the Java loop (256 and 768 elements); 300: the op (76,800 elements) */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 300})
    void inferenceReluEqualsDl4jBitForBit(int batch) {
        Layer standard = layer(new ActivationLayer(Activation.RELU));
        Layer fast = layer(new FastActivationLayer(Activation.RELU));
        INDArray x = gaussian(101 + batch, batch, CHANNELS, SIZE, SIZE);
        x.putScalar(new long[] {0, 0, 0, 0}, 0.0);
        INDArray xCopy = x.dup();
        INDArray expected = standard.activate(x.dup(), false, LayerWorkspaceMgr.noWorkspaces()).dup();
        INDArray actual = fast.activate(x, false, LayerWorkspaceMgr.noWorkspaces()).dup();
        assertClose("inference output, batch " + batch, expected, actual, 0.0);
        assertClose("input unchanged", xCopy, x, 0.0);
    }

    private static Layer layer(ActivationLayer conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .list().layer(conf).setInputType(InputType.convolutional(SIZE, SIZE, CHANNELS)).build());
        net.init();
        return net.getLayer(0);
    }
}
