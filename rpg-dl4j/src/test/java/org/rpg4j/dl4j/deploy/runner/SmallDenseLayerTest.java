package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Dense layers of at most {@link DenseStep#JAVA_MACS} multiply-adds per call run the Java kernel untimed (ND4J's fixed
 * cost per call exceeds their work); larger ones are still timed against ND4J.
 */
class SmallDenseLayerTest {

    @Test
    void smallLayersRunTheJavaKernelUntimedLargerOnesAreTimed() {
        // hidden 300 -> 600 (batch 2: 360k multiply-adds, timed; batch 1: 180k, untimed), output 600 -> 10 (untimed)
        MultiLayerNetwork net = new MultiLayerNetwork(PrunedNetworks.base().list()
                .layer(new DenseLayer.Builder().name("hidden").nOut(600).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(300)).build());
        net.init();
        PrunedNetworks.prune(net, 0.5, 7);
        SparseRunner runner = SparseRunner.compile(net, RunnerOptions.defaults());
        for (int batch : new int[] {1, 2}) {
            INDArray x = Nd4j.randn(DataType.FLOAT, batch, 300);
            INDArray expected = net.output(x);
            for (int call = 0; call < 10; call++) {
                double difference = PrunedNetworks.maxAbsDifference(runner.output(x)[0], expected);
                assertTrue(difference < 1e-4, "batch " + batch + " call " + call + ": " + difference);
            }
        }
        List<LayerChoice> report = runner.report();
        LayerChoice hidden1 = find(report, "hidden", 1);
        assertEquals(KernelKind.SPARSE, hidden1.kernel());
        assertTrue(hidden1.calibration().contains("not timed: at most 262144 multiply-adds per call (180000)"),
                hidden1.calibration());
        LayerChoice hidden2 = find(report, "hidden", 2);
        assertFalse(hidden2.calibration().contains("not timed"), hidden2.calibration());
        assertTrue(Double.isFinite(hidden2.denseMillis()), "ND4J timed at batch 2: " + hidden2);
        LayerChoice out = find(report, "out", 2);
        assertEquals(KernelKind.SPARSE, out.kernel());
        assertTrue(out.calibration().contains("at most 262144 multiply-adds per call (12000)"), out.calibration());
    }

    private static LayerChoice find(List<LayerChoice> report, String name, int batch) {
        return report.stream().filter(c -> c.name().equals(name) && c.batch() == batch).findFirst().orElseThrow(
                () -> new AssertionError("no line for " + name + " at batch " + batch + " in " + report));
    }
}
