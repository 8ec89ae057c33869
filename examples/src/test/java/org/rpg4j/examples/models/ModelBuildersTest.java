package org.rpg4j.examples.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

class ModelBuildersTest {
    private static NetworkSettings settings(int channels, int side) {
        return new NetworkSettings(channels, side, side, 10, new Sgd(0.1), 5e-4, StandardLayers.INSTANCE, 1);
    }

    /**
     * Trainable parameters of a CIFAR ResNet with option-A shortcuts, counted by hand:
     * stem 3*c*9; stage s (channels c_s = c * 2^(s-1)) has 2n 3x3 convs, the first of stages 2, 3
     * reading c_{s-1} channels; every conv has a BN (2 c_s); dense 4c*10 + 10.
     */
    private static long resnetOptionA(int depth, int width) {
        int n = (depth - 2) / 6;
        long c = 16L * width;
        long total = 3 * c * 9 + 2 * c;
        long in = c;
        for (int s = 0; s < 3; s++) {
            long cs = c << s;
            total += in * cs * 9 + (2L * n - 1) * cs * cs * 9 + 2L * n * 2 * cs;
            in = cs;
        }
        return total + in * 10 + 10;
    }

    @Test
    void resnetParameterCountsMatchThePublishedOnes() {
        // ResNet-20: 432 + 13,824 + 50,688 + 202,752 (convs) + 1,376 (BN) + 650 (dense) = 269,722
        assertEquals(269_722, resnetOptionA(20, 1));
        assertEquals(269_722, ParameterCount.of(ModelKind.RESNET20.build(1, ShortcutKind.A, settings(3, 32)))
                .trainable());
        assertEquals(464_154, ParameterCount.of(ModelKind.RESNET32.build(1, ShortcutKind.A, settings(3, 32)))
                .trainable());
        assertEquals(853_018, ParameterCount.of(ModelKind.RESNET56.build(1, ShortcutKind.A, settings(3, 32)))
                .trainable());
        assertEquals(resnetOptionA(32, 2),
                ParameterCount.of(ModelKind.RESNET32.build(2, ShortcutKind.A, settings(3, 32))).trainable());
        // ResNet-32 x2: stem 864 + 64; stages 92,160 + 640, 350,208 + 1,280, 1,400,832 + 2,560; dense 1,290
        assertEquals(1_849_898, resnetOptionA(32, 2));
    }

    @Test
    void optionBAddsTwoProjectionsWithBatchNorm() {
        // 1x1 convs 16->32 and 32->64 (512 + 2,048) and their BN (64 + 128): +2,752
        ParameterCount count = ParameterCount.of(ModelKind.RESNET20.build(1, ShortcutKind.B, settings(3, 32)));
        assertEquals(269_722 + 2_752, count.trainable());
        // DL4J also stores BN running mean and variance: 2 * (16 + 6*16 + 7*32 + 7*64) = 1,568 more
        assertEquals(272_474 + 1_568, count.total());
    }

    @Test
    void vggAndSmallCnnParameterCounts() {
        // VGG-19: 20,018,880 conv + 11,008 BN + 5,130 dense
        assertEquals(20_035_018, ParameterCount.of(ModelKind.VGG19.build(1, ShortcutKind.A, settings(3, 32)))
                .trainable());
        // small CNN: 144 + 32 + 4,608 + 64 + (1,568*128 + 128) + (128*10 + 10)
        assertEquals(206_970, ParameterCount.of(ModelKind.SMALL_CNN.build(1, ShortcutKind.A, settings(1, 28)))
                .trainable());
    }

    @Test
    void outputShapes() {
        assertOutput(ModelKind.RESNET20.build(1, ShortcutKind.A, settings(3, 32)), 3, 32);
        assertOutput(ModelKind.RESNET20.build(1, ShortcutKind.B, settings(3, 32)), 3, 32);
        assertOutput(ModelKind.SMALL_CNN.build(1, ShortcutKind.A, settings(1, 28)), 1, 28);
        assertOutput(ModelKind.RESNET20.build(1, ShortcutKind.A, settings(1, 28)), 1, 28);
    }

    private static void assertOutput(ComputationGraph net, int channels, int side) {
        INDArray out = net.outputSingle(Nd4j.rand(new int[] {2, channels, side, side}));
        assertArrayEquals(new long[] {2, 10}, out.shape());
        assertEquals(2.0, out.sumNumber().doubleValue(), 1e-4);
    }

    @Test
    void fastLayersComputeTheSameNetwork() {
        NetworkSettings fastSettings = new NetworkSettings(3, 32, 32, 10, new Sgd(0.1), 5e-4, FastLayerKit.INSTANCE, 1);
        ComputationGraph standard = ModelKind.RESNET20.build(1, ShortcutKind.A, settings(3, 32));
        ComputationGraph fast = ModelKind.RESNET20.build(1, ShortcutKind.A, fastSettings);
        assertEquals(standard.numParams(), fast.numParams());
        fast.setParams(standard.params());
        INDArray input = Nd4j.rand(new int[] {2, 3, 32, 32});
        INDArray expected = standard.outputSingle(false, input);
        INDArray actual = fast.outputSingle(false, input);
        // float32 convolutions summed in a different order: agree to about 1e-6 relative
        assertEquals(0.0, expected.sub(actual).amaxNumber().doubleValue(), 1e-4);
    }

    @Test
    void rejectsInvalidArchitectures() {
        assertThrows(IllegalArgumentException.class, () -> ResNetCifar.build(21, 1, ShortcutKind.A, settings(3, 32)));
        assertThrows(IllegalArgumentException.class, () -> ModelKind.VGG19.build(2, ShortcutKind.A, settings(3, 32)));
        assertThrows(IllegalArgumentException.class, () -> ModelKind.fromCliName("resnet18"));
    }
}
