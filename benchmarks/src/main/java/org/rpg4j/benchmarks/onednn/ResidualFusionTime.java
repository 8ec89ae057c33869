package org.rpg4j.benchmarks.onednn;

import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.rpg4j.dl4j.layers.onednn.OneDnnInference;
import org.rpg4j.sparse.kernel.ConvolutionShape;

/**
 * A ResNet block's last dense convolution with its residual add and ReLU, as the runner's dense step computes it:
 * before session 9 the primitive, then ND4J's {@code addi} and {@code relu} over the output ("separate"); now one
 * primitive with the residual as oneDNN's sum post-op and the ReLU after it ("fused",
 * {@link OneDnnInference#forward(INDArray, INDArray, INDArray)}). ResNet-56's 3x3 stride-1 shapes (16 channels at
 * 32x32, 32 at 16x16, 64 at 8x8) at a batch of 16 (one part of the runner's two-thread split of batch 32) and 32;
 * interleaved rounds, each timing {@code calls} calls of each case on the calling thread; printed: median and
 * fastest wall time per call of each case, their ratio, and the largest difference between the two outputs. Run
 * with {@code OMP_NUM_THREADS=1} (the runner's parts run one OpenMP thread each).
 *
 * <p>Usage: {@code ResidualFusionTime [rounds] [calls]} (default 15 and 10).
 */
public final class ResidualFusionTime {

    private static final int[][] LAYERS = {{16, 32}, {32, 16}, {64, 8}};

    private ResidualFusionTime() {
    }

    /** @param args rounds and calls per round (optional) */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Nd4j.getRandom().setSeed(9);
        for (int[] layer : LAYERS) {
            for (int batch : new int[] {16, 32}) {
                measure(layer[0], layer[1], batch, rounds, calls);
            }
        }
    }

    private static void measure(int channels, int size, int batch, int rounds, int calls) {
        ConvolutionShape shape = new ConvolutionShape(channels, size, size, channels, 3, 3, 1, 1, 1, 1, size, size);
        float[] weights = Nd4j.randn(DataType.FLOAT, channels * channels * 9L).muli(0.1).data().asFloat();
        float[] bias = Nd4j.randn(DataType.FLOAT, channels).data().asFloat();
        OneDnnInference plain = OneDnnInference.create(shape, batch, weights, bias, false);
        OneDnnInference fused = OneDnnInference.create(shape, batch, weights, bias, true, true);
        INDArray x = Nd4j.randn(DataType.FLOAT, batch, channels, size, size);
        INDArray residual = Nd4j.randn(DataType.FLOAT, batch, channels, size, size);
        INDArray separateOut = Nd4j.create(DataType.FLOAT, batch, channels, size, size);
        INDArray fusedOut = Nd4j.create(DataType.FLOAT, batch, channels, size, size);
        double[] separate = new double[rounds];
        double[] together = new double[rounds];
        for (int r = -2; r < rounds; r++) {
            long start = System.nanoTime();
            for (int c = 0; c < calls; c++) {
                plain.forward(x, separateOut);
                separateOut.addi(residual);
                Transforms.relu(separateOut, false);
            }
            long middle = System.nanoTime();
            for (int c = 0; c < calls; c++) {
                fused.forward(x, residual, fusedOut);
            }
            long end = System.nanoTime();
            if (r >= 0) {
                separate[r] = (middle - start) / 1e6 / calls;
                together[r] = (end - middle) / 1e6 / calls;
            }
        }
        double difference = separateOut.sub(fusedOut).amaxNumber().doubleValue();
        Arrays.sort(separate);
        Arrays.sort(together);
        System.out.printf(Locale.ROOT, "%3d ch %2dx%-2d batch %2d: separate %.3f (%.3f) ms, fused %.3f (%.3f) ms, "
                + "separate / fused %.2f (%.2f); max difference %.1e%n", channels, size, size, batch,
                separate[rounds / 2], separate[0], together[rounds / 2], together[0], separate[rounds / 2]
                        / together[rounds / 2], separate[0] / together[0], difference);
    }
}
