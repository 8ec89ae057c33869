package org.rpg4j.benchmarks.overhead;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.rpg4j.benchmarks.models.ModelShapes;
import org.rpg4j.dl4j.Pruning;
import org.rpg4j.dl4j.hooks.RpgRegularization;

/**
 * The per-iteration work of an rpg4j run attached to ResNet-20 (fast layers, batch 128), at 90 %
 * sparsity on an iteration without topology update: the numerator of the mask-enforcement target.
 *
 * <p>Timed region, in the order DL4J runs it: the listener's {@code onGradientCalculation}
 * (checks that the gradient array, masks and updater are the ones bound), every pruned layer's
 * {@code BEFORE_UPDATER} hooks (iteration plan; gradient times mask for all 22 pruned tensors),
 * every layer's {@code POST_UPDATER} hook (update times mask; updater state times mask when the
 * updater needs it, never for Nesterov), the listener's {@code iterationDone}. The hooks are
 * called directly with the layers' real weight and gradient views (as DL4J's updater passes them), outside any workspace. The adapter masks
 * weights and updater state at topology updates, not per iteration: masking the update keeps
 * pruned weights at exactly 0 under any updater, and Nesterov's zero state stays zero.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MaskEnforcementBenchmark {

    private ComputationGraph net;
    private Pruning pruning;
    private TrainingListener listener;
    private final List<HookCall> beforeUpdater = new ArrayList<>();
    private final List<HookCall> afterUpdater = new ArrayList<>();
    private int iteration;

    @Setup(Level.Trial)
    public void setUp() {
        net = new ComputationGraph(CifarModels.of(ModelShapes.RESNET20, true));
        net.init();
        pruning = TrainingIterationBenchmark.attachAtTarget(net,
                SyntheticCifar.batch(TrainingIterationBenchmark.BATCH, 7));
        listener = net.getListeners().stream().filter(l -> l.getClass().getSimpleName().equals("PruningListener"))
                .findFirst().orElseThrow(() -> new IllegalStateException("rpg4j's listener is not attached"));
        for (Layer layer : net.getLayers()) {
            if (layer.conf().getLayer() instanceof BaseLayer conf && conf.getRegularization() != null) {
                INDArray weights = layer.getParam(DefaultParamInitializer.WEIGHT_KEY);
                INDArray gradient = layer.gradient() == null ? null
                        : layer.gradient().getGradientFor(DefaultParamInitializer.WEIGHT_KEY);
                for (Regularization r : conf.getRegularization()) {
                    if (r instanceof RpgRegularization) {
                        (r.applyStep() == Regularization.ApplyStep.BEFORE_UPDATER ? beforeUpdater : afterUpdater)
                                .add(new HookCall(r, weights, gradient));
                    }
                }
            }
        }
        if (beforeUpdater.isEmpty() || afterUpdater.isEmpty()) {
            throw new IllegalStateException("no rpg4j hooks found in the network's layer configurations");
        }
        iteration = net.getIterationCount();
    }

    @Benchmark
    public Pruning enforce() {
        listener.onGradientCalculation(net);
        for (HookCall call : beforeUpdater) {
            call.hook().apply(call.weights(), call.gradient(), 0.1, iteration, 0);
        }
        for (HookCall call : afterUpdater) {
            call.hook().apply(call.weights(), call.gradient(), 0.1, iteration, 0);
        }
        listener.iterationDone(net, iteration, 0);
        return pruning;
    }

    /** One rpg4j hook with the arguments DL4J's updater hands it: the layer's weight view and its gradient view. */
    private record HookCall(Regularization hook, INDArray weights, INDArray gradient) {
    }
}
