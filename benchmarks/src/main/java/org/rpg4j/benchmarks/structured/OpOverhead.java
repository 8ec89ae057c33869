package org.rpg4j.benchmarks.structured;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.dl4j.layers.FastActivationLayer;
import org.rpg4j.dl4j.layers.FastBatchNormalization;
import org.rpg4j.dl4j.layers.FastConvolutionLayer;
import org.rpg4j.dl4j.shrink.InferenceFolding;

/**
 * The fixed cost per operation at batch 1 (issue 14): microseconds per call of single libnd4j ops and of
 * single DL4J layers on ResNet-56's shapes at batch 1, for the dense channel counts (16, 32, 64) and those
 * left after removing 70 % (5, 10, 20):
 * <ul>
 *   <li>{@code relu op [1]}: a native ReLU on one element, the pure per-op cost of ND4J's executioner;</li>
 *   <li>{@code relu op [1,c,h,w]}: the same on an activation;</li>
 *   <li>{@code conv2d op}: libnd4j's {@code conv2d} on a reused op context (what {@code FastConvolutionLayer}
 *       runs), with oneDNN and with libnd4j's generic kernel ({@code allowHelpers(false)});</li>
 *   <li>{@code conv / bn / relu layer}: one DL4J {@code Layer.activate(x, false)} of the fast layers, no
 *       workspaces (the op plus the layer's Java work); the convolution with its kernel as measured per shape,
 *       then forced to {@code native} (libnd4j's conv2d op) and to {@code java} (rpg4j's Java kernel);</li>
 *   <li>{@code conv-bn-relu network}: {@code MultiLayerNetwork.output} of those three layers (adds DL4J's
 *       output path: workspaces, validation), and of the same network after {@code InferenceFolding}
 *       (one layer), with the measured kernel and with the op forced ({@code native}).</li>
 * </ul>
 * Each case runs in blocks of calls; the table gives the fastest and the median block mean of the wall
 * time (the fastest is the least disturbed by other processes) and the fastest block's CPU time of the
 * calling thread. Run it with {@code OMP_NUM_THREADS=1} too: then every op runs on the calling thread,
 * so its CPU time is the op's whole cost even on a loaded machine.
 *
 * <pre>java -cp benchmarks.jar org.rpg4j.benchmarks.structured.OpOverhead [calls per block]</pre>
 */
public final class OpOverhead {
    private static final int BLOCKS = 7;
    private static final String CHOICE_PROPERTY = "rpg4j.convolutionInference";
    private static final int[][] SHAPES = {{16, 32}, {32, 16}, {64, 8}, {5, 32}, {10, 16}, {20, 8}};

    private OpOverhead() {}

    /**
     * @param args optional number of calls per block (default 200)
     */
    public static void main(String[] args) {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Map<String, Runnable> cases = new LinkedHashMap<>();
        INDArray one = Nd4j.rand(DataType.FLOAT, 1);
        INDArray oneOut = one.ulike();
        cases.put("relu op [1]", () -> Nd4j.exec(new RectifiedLinear(one, oneOut, 0.0)));
        for (int[] s : SHAPES) {
            addShape(cases, s[0], s[1]);
        }
        System.out.printf(Locale.ROOT, "threads: OMP_NUM_THREADS=%s, ND4J max threads %d, elementwise threshold %d; "
                + "load %.1f%n", System.getenv("OMP_NUM_THREADS"), Nd4j.getEnvironment().maxThreads(), Nd4j
                        .getEnvironment().elementwiseThreshold(), java.lang.management.ManagementFactory
                                .getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("| case | fastest wall us/call | median wall us/call | thread CPU us/call |");
        System.out.println("|---|---:|---:|---:|");
        for (Map.Entry<String, Runnable> c : cases.entrySet()) {
            double[][] means = time(c.getValue(), calls);
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f |%n", c.getKey(), means[0][0], means[0][BLOCKS
                    / 2],
                    means[1][0]);
        }
    }

    private static void addShape(Map<String, Runnable> cases, int channels, int size) {
        String shape = "[1," + channels + "," + size + "," + size + "]";
        Nd4j.getRandom().setSeed(channels);
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, channels, size, size);
        INDArray out = x.ulike();
        cases.put("relu op " + shape, () -> Nd4j.exec(new RectifiedLinear(x, out, 0.0)));
        INDArray w = Nd4j.rand(DataType.FLOAT, channels, channels, 3, 3);
        OpContext context = Nd4j.getExecutioner().buildContext();
        // kH, kW, sH, sW, pH, pW, dH, dW, same mode, NCHW, weights [out, in, kh, kw]
        long[] conv = {3, 3, 1, 1, 0, 0, 1, 1, 1, 0, 1};
        for (boolean oneDnn : new boolean[] {true, false}) {
            cases.put("conv2d op 3x3 " + shape + (oneDnn ? " oneDNN" : " generic"), () -> {
                context.purge();
                context.setIArguments(conv);
                context.setInputArrays(x, w);
                context.setOutputArrays(out);
                context.allowHelpers(oneDnn);
                Nd4j.exec(new Conv2D(), context);
            });
        }
        MultiLayerNetwork block = block(channels, size);
        LayerWorkspaceMgr none = LayerWorkspaceMgr.noWorkspaces();
        String[] names = {"conv", "bn", "relu"};
        for (int i = 0; i < names.length; i++) {
            Layer layer = block.getLayer(i);
            cases.put(names[i] + " layer " + shape, () -> {
                layer.activate(x, false, none);
                layer.clear();
            });
        }
        Layer convLayer = block.getLayer(0);
        for (String choice : new String[] {"native", "java"}) {
            cases.put("conv layer " + shape + " " + choice, () -> withChoice(choice, () -> {
                convLayer.activate(x, false, none);
                convLayer.clear();
            }));
        }
        cases.put("conv-bn-relu network " + shape, () -> block.output(x, false));
        MultiLayerNetwork folded = InferenceFolding.fold(block).network();
        cases.put("conv-bn-relu folded network " + shape, () -> folded.output(x, false));
        cases.put("conv-bn-relu folded network " + shape + " native", () -> withChoice("native",
                () -> folded.output(x, false)));
    }

    /**
     * Runs {@code call} with the fast convolution's inference kernel forced ({@code rpg4j.convolutionInference}:
     * {@code native} = libnd4j's conv2d op, {@code java} = rpg4j's Java kernel); unset, the layer measures.
     */
    private static void withChoice(String choice, Runnable call) {
        System.setProperty(CHOICE_PROPERTY, choice);
        try {
            call.run();
        } finally {
            System.clearProperty(CHOICE_PROPERTY);
        }
    }

    private static MultiLayerNetwork block(int channels, int size) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).dataType(
                DataType.FLOAT).convolutionMode(ConvolutionMode.Same).list()
                .layer(new FastConvolutionLayer.Builder(3, 3).nOut(channels).hasBias(false).activation(
                        Activation.IDENTITY).build())
                .layer(new FastBatchNormalization.Builder().build())
                .layer(new FastActivationLayer(Activation.RELU))
                .setInputType(InputType.convolutional(size, size, channels)).build());
        net.init();
        return net;
    }

    /**
     * @return the per-call wall-time mean of each block and the per-call CPU time of this thread in each
     *     block, in microseconds, each sorted ascending (after one warm-up block)
     */
    private static double[][] time(Runnable call, int calls) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] wall = new double[BLOCKS];
        double[] cpu = new double[BLOCKS];
        for (int b = -1; b < BLOCKS; b++) {
            long start = System.nanoTime();
            long cpuStart = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < calls; i++) {
                call.run();
            }
            if (b >= 0) {
                wall[b] = (System.nanoTime() - start) / 1e3 / calls;
                cpu[b] = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e3 / calls;
            }
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        return new double[][] {wall, cpu};
    }
}
