package org.rpg4j.benchmarks.overhead;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.benchmarks.models.ModelShapes;
import org.nd4j.linalg.activations.Activation;
import org.rpg4j.dl4j.layers.FastActivationLayer;
import org.rpg4j.dl4j.layers.FastElementWiseVertex;
import org.rpg4j.dl4j.layers.onednn.OneDnn;
import org.rpg4j.dl4j.layers.onednn.OneDnnConvolution;
import org.rpg4j.sparse.kernel.ConvolutionShape;
import org.rpg4j.tensor.HostAccess;

/**
 * Each change of issue 13 to the fast layers against the version before it, interleaved in one JVM
 * (ratios of medians; the variants alternate which goes first):
 * <ol>
 *   <li>batch norm's passes as Java loops over host memory ({@code ChannelKernels}) against the
 *       libnd4j ops the layer used before ({@code moments}, {@code batchnorm}, two reductions, two
 *       {@code batchnorm} ops and an add in backward), which the layer still takes when the system
 *       property {@value HostAccess#PROPERTY} is {@code generic}: one training iteration (fast
 *       layers, batch 128) of the model, the property switched around each fit;
 *   <li>ReLU backward as one {@code relu_bp} op against {@code step} then {@code multiply}, at the
 *       activation shapes of ResNet-20's three stages (batch 128);
 *   <li>the residual add as {@code FastElementWiseVertex} (one-pass sum, one gradient copy shared by
 *       both inputs) against DL4J's {@code ElementWiseVertex} (copy then add, one gradient copy per
 *       input): one training iteration of the model (ResNets only), both networks with all other
 *       fast layers;
 *   <li>the convolution's training passes as oneDNN primitives called directly ({@code OneDnnConvolution},
 *       created once per layer and shape) against libnd4j's {@code conv2d} / {@code conv2d_bp} ops, which
 *       the layer runs when the system property {@value OneDnn#PROPERTY} is {@code libnd4j}: one training
 *       iteration (fast layers, batch 128), the property switched around each fit ({@code conv}, not in the
 *       default list);
 *   <li>the convolution's backward pass reading the blocked input its training forward kept ({@code keep}: the
 *       system property {@value OneDnn#KEEP_INPUT_PROPERTY} {@code false} reorders it again, as before);
 *   <li>the regularization score of every fit as a Java sum over the parameters against one {@code norm2} op per
 *       parameter ({@code score}), with the updater's time per call for scale;
 *   <li>the update of the fast layers' parameters as Java loops (the system property {@value #UPDATE_PROPERTY}
 *       {@code dl4j} runs DL4J's updater and regularization ops, as before): one call of the network's updater
 *       ({@code update}), and one training iteration of two networks ({@code fitupdate});
 *   <li>the ReLU after a batch norm or an add fused into that layer's training forward pass (the system property
 *       {@value #FUSE_RELU_PROPERTY} {@code false} runs the ReLU's own pass, as before): one training iteration of two
 *       networks, wall and process CPU time ({@code fuserelu});
 *   <li>the ReLU's backward pass as a Java loop over host memory against libnd4j's {@code relu_bp} op (the system
 *       property {@value #RELU_PROPERTY} {@code libnd4j}): the same ({@code reluloop}); both together
 *       ({@code session10});
 *   <li>the batch norm's training passes as oneDNN primitives on its OpenMP threads against the Java loops (the
 *       system property {@value #BATCH_NORM_PROPERTY} {@code java}): one training iteration of two networks, wall
 *       and process CPU time ({@code bnonednn}); its two layouts ({@code bnlayout}: NCHW against nChw16c with
 *       reorders).
 * </ol>
 *
 * <p>Arguments: {@code [model=RESNET20] [warmup=5] [rounds=10] [changes=batchnorm,relu,add]}.
 */
public final class FastLayerChanges {

    /** Activation shapes of ResNet-20's three stages at batch 128. */
    /** The fast layers' switch between DL4J's update ops and Java loops ({@code HostUpdates} in rpg-dl4j). */
    private static final String UPDATE_PROPERTY = "rpg4j.update";
    /** The fast layers' switch for the ReLU fused into the batch norm or add before it ({@code ReluFusion}). */
    private static final String FUSE_RELU_PROPERTY = "rpg4j.fuseRelu";
    /** The fast ReLU's switch between libnd4j's {@code relu_bp} op and a Java loop in its backward pass. */
    private static final String RELU_PROPERTY = "rpg4j.relu";
    /** The fast batch norm's switch between oneDNN's primitives and the Java loops in training. */
    private static final String BATCH_NORM_PROPERTY = "rpg4j.batchNorm";
    private static final long[][] STAGE_SHAPES = {{128, 16, 32, 32}, {128, 32, 16, 16}, {128, 64, 8, 8}};

    private FastLayerChanges() {
    }

    /**
     * @param args model name, warm-up rounds, measured rounds, changes to compare (comma-separated)
     */
    public static void main(String[] args) {
        ModelShapes model = ModelShapes.valueOf(args.length > 0 ? args[0] : "RESNET20");
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        if (warmup < 0 || rounds < 1) {
            throw new IllegalArgumentException("warmup must be >= 0 and rounds >= 1, got " + warmup + ", " + rounds);
        }
        List<String> changes = List.of((args.length > 3 ? args[3] : "batchnorm,relu,add").split(","));
        DataSet data = SyntheticCifar.batch(TrainingIterationBenchmark.BATCH, 7);
        if (changes.contains("batchnorm")) {
            ComputationGraph ops = network(model);
            ComputationGraph kernels = network(model);
            compare(model + " iteration, batch norm: libnd4j ops (before) / Java loops (after)", warmup, rounds,
                    () -> fit(ops, data, "generic"), () -> fit(kernels, data, "auto"));
            System.clearProperty(HostAccess.PROPERTY);
        }
        if (changes.contains("conv")) {
            ComputationGraph ops = network(model);
            ComputationGraph direct = network(model);
            compare(model + " iteration, convolutions: libnd4j ops (before) / oneDNN primitives (after)", warmup,
                    rounds, () -> fitConvolutions(ops, data, "libnd4j"), () -> fitConvolutions(direct, data, "auto"));
            System.clearProperty(OneDnn.PROPERTY);
        }
        if (changes.contains("keep")) {
            ComputationGraph reordering = network(model);
            ComputationGraph keeping = network(model);
            compare(model + " iteration, convolution backward: input reordered again (before) / blocked input kept "
                    + "from forward (after)", warmup, rounds, () -> fitKeeping(reordering, data, "false"),
                    () -> fitKeeping(keeping, data, "true"));
            System.clearProperty(OneDnn.KEEP_INPUT_PROPERTY);
            for (long[] shape : STAGE_SHAPES) {
                compareKeepPasses(shape, warmup, rounds);
            }
        }
        if (changes.contains("score")) {
            compareScore(model, data, warmup, rounds);
        }
        if (changes.contains("updaterthreads")) {
            ComputationGraph twoThreads = network(model);
            ComputationGraph oneThread = network(model);
            oneThread.addListeners(new OneThreadUpdate());
            compare(model + " iteration, update: libnd4j's threads (before) / one thread from the gradient to the "
                    + "step's end (after, an experiment: a listener)", warmup, rounds,
                    () -> time(() -> twoThreads.fit(data)), () -> time(() -> oneThread.fit(data)));
        }
        if (changes.contains("update")) {
            compareUpdate(model, data, warmup, rounds);
        }
        if (changes.contains("fitupdate")) {
            compareFitUpdate(model, data, warmup, rounds);
        }
        if (changes.contains("add")) {
            compareAdd(model, data, warmup, rounds);
        }
        if (changes.contains("fuserelu")) {
            compareProperty("ReLU: own pass (before) / fused into the batch norm or add before it (after)", model, data,
                    warmup, rounds, FUSE_RELU_PROPERTY, "false", "true");
        }
        if (changes.contains("reluloop")) {
            compareProperty("ReLU backward: libnd4j relu_bp op (before) / Java loop (after)", model, data, warmup,
                    rounds, RELU_PROPERTY, "libnd4j", "auto");
            for (long[] shape : STAGE_SHAPES) {
                compareReluLoop(shape, warmup, rounds);
            }
        }
        if (changes.contains("bnonednn")) {
            compareProperty("batch norm training passes: Java loops (before) / oneDNN primitives (after)", model, data,
                    warmup, rounds, BATCH_NORM_PROPERTY, "java", "onednn");
        }
        if (changes.contains("bnlayout")) {
            compareProperty("batch norm oneDNN primitives: NCHW (before) / nChw16c with reorders (after)", model, data,
                    warmup, rounds, BATCH_NORM_PROPERTY + ".layout", "plain", "blocked");
        }
        if (changes.contains("session10")) {
            compareProperties("ReLU unfused with relu_bp ops (before) / fused forward and Java-loop backward (after, "
                    + "session 10)", model, data, warmup, rounds, new String[] {FUSE_RELU_PROPERTY, RELU_PROPERTY},
                    new String[] {"false", "libnd4j"}, new String[] {"true", "auto"});
        }
        if (changes.contains("relu")) {
            for (long[] shape : STAGE_SHAPES) {
                compareReluBackward(shape, warmup, rounds);
            }
        }
    }

    /**
     * One 3x3 stride-1 convolution's forward + backward at a stage shape (channels in = out), on preallocated
     * arrays: the plain forward then a backward that reorders the input again (before) against the training
     * forward that keeps its blocked input and the backward that reads it (after).
     */
    private static void compareKeepPasses(long[] shape, int warmup, int rounds) {
        int c = (int) shape[1];
        int h = (int) shape[2];
        ConvolutionShape geometry = new ConvolutionShape(c, h, h, c, 3, 3, 1, 1, 1, 1, h, h);
        OneDnnConvolution conv = OneDnnConvolution.create(geometry, (int) shape[0], false,
                OneDnnConvolution.Layout.BLOCKED);
        Nd4j.getRandom().setSeed(9);
        INDArray x = Nd4j.randn(DataType.FLOAT, shape);
        INDArray w = Nd4j.randn(DataType.FLOAT, c, c, 3, 3);
        INDArray z = x.ulike();
        INDArray dz = Nd4j.randn(DataType.FLOAT, shape);
        INDArray dx = x.ulike();
        INDArray dw = w.ulike();
        compare("convolution forward + backward " + Arrays.toString(shape) + " 3x3: input reordered in both "
                + "(before) / blocked input kept (after, " + conv.keptInputBytes() / (1 << 20) + " MiB per layer)",
                2 * warmup, 3 * rounds, () -> time(() -> {
                    conv.forward(x, w, null, z);
                    conv.backward(x, w, dz, dx, dw, null);
                }), () -> time(() -> {
                    conv.forwardForTraining(x, w, null, z);
                    conv.backward(x, w, dz, dx, dw, null);
                }));
    }

    /**
     * The regularization score DL4J computes on every fit ({@code calcRegularizationScore}): libnd4j's
     * {@code norm2} per parameter (before, {@value HostAccess#PROPERTY} {@code generic}) against the fast layers'
     * Java sum (after), on a trained network; and, for scale, one call of the network's updater (DL4J's code, on
     * the last fit's gradient restored before each call) with its number of blocks.
     */
    private static void compareScore(ModelShapes model, DataSet data, int warmup, int rounds) {
        ComputationGraph net = network(model);
        net.fit(data);
        compare(model + " regularization score per fit: norm2 ops (before) / Java sum (after)", 10 * warmup,
                10 * rounds, () -> score(net, "generic"), () -> score(net, "auto"));
        System.clearProperty(HostAccess.PROPERTY);
        ComputationGraphUpdater updater = net.getUpdater();
        Gradient gradient = net.gradient();
        INDArray view = net.getGradientsViewArray();
        INDArray saved = view.dup();
        double[] times = new double[10 * rounds];
        for (int r = -10 * warmup; r < times.length; r++) {
            view.assign(saved);
            double t = time(() -> updater.update(gradient, 0, 0, TrainingIterationBenchmark.BATCH,
                    LayerWorkspaceMgr.noWorkspaces()));
            if (r >= 0) {
                times[r] = t;
            }
        }
        int threads = Nd4j.getEnvironment().maxThreads();
        int masterThreads = Nd4j.getEnvironment().maxMasterThreads();
        compare(model + " one update: libnd4j's " + threads + " threads (before) / 1 thread (after)", 10 * warmup,
                10 * rounds, () -> {
                    view.assign(saved);
                    return time(() -> updater.update(gradient, 0, 0, TrainingIterationBenchmark.BATCH,
                            LayerWorkspaceMgr.noWorkspaces()));
                }, () -> {
                    view.assign(saved);
                    Nd4j.getEnvironment().setMaxThreads(1);
                    Nd4j.getEnvironment().setMaxMasterThreads(1);
                    try {
                        return time(() -> updater.update(gradient, 0, 0, TrainingIterationBenchmark.BATCH,
                                LayerWorkspaceMgr.noWorkspaces()));
                    } finally {
                        Nd4j.getEnvironment().setMaxThreads(threads);
                        Nd4j.getEnvironment().setMaxMasterThreads(masterThreads);
                    }
                });
        System.out.printf(Locale.ROOT, "%s updater: %d blocks, %d parameters, %.2f ms per update (median of %d, "
                + "load %.1f)%n", model, updater.getUpdaterBlocks().size(), net.numParams(), median(times),
                times.length, java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage());
    }

    /**
     * The fast layers' update: DL4J's updater and regularization ops (before, {@value #UPDATE_PROPERTY}
     * {@code dl4j}) against the Java loops (after): one call of the network's updater on a trained network's
     * gradient (restored before each call).
     */
    private static void compareUpdate(ModelShapes model, DataSet data, int warmup, int rounds) {
        ComputationGraph net = network(model);
        net.fit(data);
        ComputationGraphUpdater updater = net.getUpdater();
        Gradient gradient = net.gradient();
        INDArray view = net.getGradientsViewArray();
        INDArray saved = view.dup();
        compare(model + " one update (" + updater.getUpdaterBlocks().size() + " blocks): DL4J's ops (before) / "
                + "Java loops (after)", 10 * warmup, 10 * rounds, () -> update(updater, gradient, view, saved, "dl4j"),
                () -> update(updater, gradient, view, saved, "auto"));
        System.clearProperty(UPDATE_PROPERTY);
    }

    /** Whole iterations of two networks, one with DL4J's update ops (before), one with the Java loops (after). */
    private static void compareFitUpdate(ModelShapes model, DataSet data, int warmup, int rounds) {
        ComputationGraph dl4jUpdate = network(model);
        ComputationGraph javaUpdate = network(model);
        compare(model + " iteration, update: DL4J's ops (before) / Java loops (after)", warmup, rounds, () -> {
            System.setProperty(UPDATE_PROPERTY, "dl4j");
            return time(() -> dl4jUpdate.fit(data));
        }, () -> {
            System.setProperty(UPDATE_PROPERTY, "auto");
            return time(() -> javaUpdate.fit(data));
        });
        System.clearProperty(UPDATE_PROPERTY);
    }

    private static double update(ComputationGraphUpdater updater, Gradient gradient, INDArray view, INDArray saved,
                                 String mode) {
        view.assign(saved);
        System.setProperty(UPDATE_PROPERTY, mode);
        return time(() -> updater.update(gradient, 0, 0, TrainingIterationBenchmark.BATCH,
                LayerWorkspaceMgr.noWorkspaces()));
    }

    /**
     * An experiment, not library code: libnd4j's own thread count set to 1 from the gradient calculation to the
     * end of the iteration (the updater's small ops and the parameter step), restored afterwards. oneDNN's
     * OpenMP threads are not affected.
     */
    private static final class OneThreadUpdate extends BaseTrainingListener {
        private int maxThreads;
        private int maxMasterThreads;

        @Override
        public void onGradientCalculation(Model model) {
            maxThreads = Nd4j.getEnvironment().maxThreads();
            maxMasterThreads = Nd4j.getEnvironment().maxMasterThreads();
            Nd4j.getEnvironment().setMaxThreads(1);
            Nd4j.getEnvironment().setMaxMasterThreads(1);
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            if (maxThreads > 0) {
                Nd4j.getEnvironment().setMaxThreads(maxThreads);
                Nd4j.getEnvironment().setMaxMasterThreads(maxMasterThreads);
            }
        }
    }

    private static double score(ComputationGraph net, String hostAccess) {
        System.setProperty(HostAccess.PROPERTY, hostAccess);
        return time(() -> net.calcRegularizationScore(true));
    }

    /** The residual add in whole iterations (ResNets only) and its passes at the stage shapes. */
    private static void compareAdd(ModelShapes model, DataSet data, int warmup, int rounds) {
        ComputationGraphConfiguration fastConf = CifarModels.of(model, true);
        if (fastConf.getVertices().values().stream().noneMatch(v -> v instanceof FastElementWiseVertex)) {
            return;
        }
        ComputationGraph dl4jAdds = new ComputationGraph(withDl4jAdds(fastConf));
        ComputationGraph fastAdds = new ComputationGraph(fastConf);
        dl4jAdds.init();
        fastAdds.init();
        compare(model + " iteration, residual add: DL4J's ElementWiseVertex (before) / FastElementWiseVertex (after)",
                warmup, rounds, () -> time(() -> dl4jAdds.fit(data)), () -> time(() -> fastAdds.fit(data)));
        for (long[] shape : STAGE_SHAPES) {
            compareAddPasses(shape, warmup, rounds);
        }
    }

    /**
     * The fast ReLU layer's backward pass at a stage shape (no workspaces: a fresh gradient array per call in both
     * variants), libnd4j's {@code relu_bp} op against the Java loop: wall time, then the process's CPU time.
     */
    private static void compareReluLoop(long[] shape, int warmup, int rounds) {
        NeuralNetConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .layer(new FastActivationLayer(Activation.RELU)).build();
        org.deeplearning4j.nn.api.Layer relu = conf.getLayer().instantiate(conf, List.of(), 0, null, false,
                DataType.FLOAT);
        Nd4j.getRandom().setSeed(5);
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        relu.setInput(Nd4j.randn(DataType.FLOAT, shape), mgr);
        INDArray epsilon = Nd4j.randn(DataType.FLOAT, shape);
        compare("ReLU layer backward " + Arrays.toString(shape) + ", wall: relu_bp (before) / Java loop (after)",
                10 * warmup, 10 * rounds, () -> {
                    System.setProperty(RELU_PROPERTY, "libnd4j");
                    return time(() -> relu.backpropGradient(epsilon, mgr));
                }, () -> {
                    System.setProperty(RELU_PROPERTY, "auto");
                    return time(() -> relu.backpropGradient(epsilon, mgr));
                });
        compare("ReLU layer backward " + Arrays.toString(shape) + ", process CPU: relu_bp (before) / Java loop (after)",
                10 * warmup, 10 * rounds, () -> {
                    System.setProperty(RELU_PROPERTY, "libnd4j");
                    return cpuTime(() -> relu.backpropGradient(epsilon, mgr));
                }, () -> {
                    System.setProperty(RELU_PROPERTY, "auto");
                    return cpuTime(() -> relu.backpropGradient(epsilon, mgr));
                });
        System.clearProperty(RELU_PROPERTY);
    }

    private static double cpuTime(Runnable work) {
        long start = processCpuNanos();
        work.run();
        return (processCpuNanos() - start) / 1e6;
    }

    private static void compareReluBackward(long[] shape, int warmup, int rounds) {
        Nd4j.getRandom().setSeed(3);
        INDArray input = Nd4j.randn(DataType.FLOAT, shape);
        INDArray epsilon = Nd4j.randn(DataType.FLOAT, shape);
        INDArray dx = input.ulike();
        compare("ReLU backward " + Arrays.toString(shape) + ": step + multiply (before) / relu_bp (after)",
                10 * warmup, 10 * rounds, () -> time(() -> {
                    Nd4j.exec(new Step(input, dx));
                    Nd4j.exec(new MulOp(dx, epsilon, dx));
                }), () -> time(() -> Nd4j.exec(new RectifiedLinearDerivative(input, epsilon, dx))));
    }

    /**
     * The add's passes over memory at one shape, on preallocated arrays: DL4J's forward (copy the
     * first input, add the second in place) and backward (one copy of the output gradient per input)
     * against one {@code add} op and one copy.
     */
    private static void compareAddPasses(long[] shape, int warmup, int rounds) {
        Nd4j.getRandom().setSeed(5);
        INDArray a = Nd4j.randn(DataType.FLOAT, shape);
        INDArray b = Nd4j.randn(DataType.FLOAT, shape);
        INDArray epsilon = Nd4j.randn(DataType.FLOAT, shape);
        INDArray sum = a.ulike();
        INDArray first = a.ulike();
        INDArray second = a.ulike();
        compare("residual add forward + backward " + Arrays.toString(shape) + ": copy + add, 2 gradient copies "
                + "(before) / add op, 1 gradient copy (after)", 10 * warmup, 10 * rounds, () -> time(() -> {
                    sum.assign(a).addi(b);
                    first.assign(epsilon);
                    second.assign(epsilon);
                }), () -> time(() -> {
                    Nd4j.exec(new AddOp(a, b, sum));
                    first.assign(epsilon);
                }));
    }

    /** The configuration with every FastElementWiseVertex replaced by DL4J's ElementWiseVertex, same op. */
    private static ComputationGraphConfiguration withDl4jAdds(ComputationGraphConfiguration fast) {
        ComputationGraphConfiguration copy = fast.clone();
        for (Map.Entry<String, GraphVertex> entry : copy.getVertices().entrySet()) {
            if (entry.getValue() instanceof FastElementWiseVertex v) {
                entry.setValue(new ElementWiseVertex(v.getOp()));
            }
        }
        return copy;
    }

    /**
     * One training iteration of two networks of the fast layers, a system property set to {@code before} around each
     * fit of the first and to {@code after} around each fit of the second (alternating which goes first): wall time
     * and the process's CPU time (every thread) of each fit, medians.
     */
    private static void compareProperty(String what, ModelShapes model, DataSet data, int warmup, int rounds,
                                        String property, String before, String after) {
        compareProperties(what, model, data, warmup, rounds, new String[] {property}, new String[] {before},
                new String[] {after});
    }

    /** {@link #compareProperty} with several properties switched together. */
    private static void compareProperties(String what, ModelShapes model, DataSet data, int warmup, int rounds,
                                          String[] properties, String[] before, String[] after) {
        ComputationGraph first = network(model);
        ComputationGraph second = network(model);
        double[][] b = new double[2][rounds];
        double[][] a = new double[2][rounds];
        for (int r = -warmup; r < rounds; r++) {
            boolean beforeFirst = (r & 1) == 0;
            for (int k = 0; k < 2; k++) {
                boolean isBefore = beforeFirst == (k == 0);
                for (int p = 0; p < properties.length; p++) {
                    System.setProperty(properties[p], isBefore ? before[p] : after[p]);
                }
                ComputationGraph net = isBefore ? first : second;
                long cpu = processCpuNanos();
                long wall = System.nanoTime();
                net.fit(data);
                if (r >= 0) {
                    double[][] into = isBefore ? b : a;
                    into[0][r] = (System.nanoTime() - wall) / 1e6;
                    into[1][r] = (processCpuNanos() - cpu) / 1e6;
                }
            }
        }
        for (String property : properties) {
            System.clearProperty(property);
        }
        System.out.printf(Locale.ROOT,
                "%s iteration, %s: wall %.2f ms / %.2f ms, after/before %.3f; process CPU %.2f ms "
                        + "/ %.2f ms, after/before %.3f (%d rounds, load %.1f)%n", model, what, median(b[0]), median(
                                a[0]),
                median(a[0]) / median(b[0]), median(b[1]), median(a[1]), median(a[1]) / median(b[1]), rounds,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static ComputationGraph network(ModelShapes model) {
        ComputationGraph net = new ComputationGraph(CifarModels.of(model, true));
        net.init();
        return net;
    }

    private static double fit(ComputationGraph net, DataSet data, String hostAccess) {
        System.setProperty(HostAccess.PROPERTY, hostAccess);
        return time(() -> net.fit(data));
    }

    private static double fitKeeping(ComputationGraph net, DataSet data, String keep) {
        System.setProperty(OneDnn.KEEP_INPUT_PROPERTY, keep);
        return time(() -> net.fit(data));
    }

    private static double fitConvolutions(ComputationGraph net, DataSet data, String convolution) {
        System.setProperty(OneDnn.PROPERTY, convolution);
        return time(() -> net.fit(data));
    }

    private static double time(Runnable work) {
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1e6;
    }

    private static void compare(String what, int warmup, int rounds, DoubleSupplier before, DoubleSupplier after) {
        double[] b = new double[rounds];
        double[] a = new double[rounds];
        for (int r = -warmup; r < rounds; r++) {
            boolean beforeFirst = (r & 1) == 0;
            double first = beforeFirst ? before.getAsDouble() : after.getAsDouble();
            double second = beforeFirst ? after.getAsDouble() : before.getAsDouble();
            if (r >= 0) {
                b[r] = beforeFirst ? first : second;
                a[r] = beforeFirst ? second : first;
            }
        }
        double mb = median(b);
        double ma = median(a);
        System.out.printf(Locale.ROOT, "%s: %.2f ms / %.2f ms, after/before %.3f (%d rounds, load %.1f)%n", what, mb,
                ma, ma / mb, rounds, java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage());
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
