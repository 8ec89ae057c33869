package org.rpg4j.dl4j.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.rpg4j.structured.ChannelGroup;
import org.rpg4j.structured.ChannelSlice;
import org.rpg4j.structured.SliceRole;

/** The groups and slices as data: what a criterion sees. */
class ChannelAnalysisTest {

    private static ChannelGroup groupOf(ChannelDependencies deps, String producer) {
        return deps.groups().stream().filter(g -> g.producers().contains(producer)).findFirst().orElseThrow();
    }

    private static ChannelSlice slice(ChannelGroup g, String layer, String param, int axis) {
        List<ChannelSlice> s = g.slices().stream()
                .filter(x -> x.layer().equals(layer) && x.param().equals(param) && x.axis() == axis).toList();
        assertEquals(1, s.size(), g.slices().toString());
        return s.get(0);
    }

    @Test
    void optionAShortcutGivesTwoSlicesOfTheSameChannels() {
        ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(8, 8, 3))
                .addLayer("a", new ConvolutionLayer.Builder(3, 3).nOut(4).build(), "in")
                .addLayer("b", new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(8).build(), "a")
                .addLayer("sub", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(1, 1).stride(2, 2).build(),
                        "a")
                .addVertex("zeros", new ScaleVertex(0.0), "sub")
                .addVertex("pad", new MergeVertex(), "sub", "zeros")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "b", "pad")
                .addLayer("c", new ConvolutionLayer.Builder(1, 1).nOut(5).build(), "add")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "c")
                .setOutputs("out").build());
        net.init();
        ChannelDependencies deps = ChannelDependencies.analyse(net);
        ChannelGroup trunk = groupOf(deps, "a");
        assertFalse(trunk.locked());
        assertEquals(4, trunk.size());
        assertEquals(List.of("a", "b"), trunk.producers());
        // b's 8 filters: channel c at index c and at index 4 + c
        List<ChannelSlice> bFilters = trunk.slices().stream()
                .filter(s -> s.layer().equals("b") && s.param().equals("W") && s.axis() == 0).toList();
        assertEquals(1, bFilters.size());
        assertArrayEquals(new int[] {0, 1, 2, 3, 0, 1, 2, 3}, bFilters.get(0).channels());
        assertEquals(SliceRole.PRODUCER, bFilters.get(0).role());
        assertArrayEquals(new int[] {0, 1, 2, 3, 0, 1, 2, 3}, slice(trunk, "c", "W", 1).channels());
        assertEquals(SliceRole.CONSUMER, slice(trunk, "c", "W", 1).role());
        // b reads a's channels once each
        assertArrayEquals(new int[] {0, 1, 2, 3}, slice(trunk, "b", "W", 1).channels());
    }

    @Test
    void flattenAndSeparableSlicesComeInBlocks() {
        ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .convolutionMode(ConvolutionMode.Truncate).activation(Activation.RELU).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(6, 6, 2))
                .addLayer("a", new ConvolutionLayer.Builder(1, 1).nOut(3).build(), "in")
                .addLayer("sep", new SeparableConvolution2D.Builder(3, 3).depthMultiplier(2).nOut(4).build(), "a")
                .addLayer("dense", new DenseLayer.Builder().nOut(5).build(), "sep")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "dense")
                .setOutputs("out").build());
        net.init();
        ChannelDependencies deps = ChannelDependencies.analyse(net);
        ChannelSlice pointwise = slice(groupOf(deps, "a"), "sep", "pW", 1);
        assertEquals(2, pointwise.blockSize());
        assertArrayEquals(new int[] {0, 1, 2}, pointwise.channels());
        // sep's output is 4 x 4 x 4, flattened: each channel owns 16 consecutive dense inputs
        ChannelSlice flat = slice(groupOf(deps, "sep"), "dense", "W", 0);
        assertEquals(16, flat.blockSize());
        assertArrayEquals(new int[] {0, 1, 2, 3}, flat.channels());
        assertTrue(groupOf(deps, "out").locked());
        assertTrue(groupOf(deps, "in").lockReason().orElseThrow().contains("network input"));
    }
}
