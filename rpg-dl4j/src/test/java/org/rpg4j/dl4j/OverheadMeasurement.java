package org.rpg4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.rpg4j.dl4j.hooks.LayerHooks;
import org.rpg4j.dl4j.hooks.RpgRegularization;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.RankLoss;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-iteration overhead of an attached pruning run on a LeNet-like CNN (conv 5x5x20, pool,
 * conv 5x5x50, pool, dense 500, softmax 10; 28x28x1; batch 64; Nesterovs; l2 5e-4): the same
 * network trained with and without rpg4j, iterations interleaved in one run so that machine noise
 * hits both alike. Measured at 95 % sparsity after the last topology update (hot path only: the
 * gradient and update masks), three ways: the ratio of median iteration times (noisy on a shared
 * machine), the time spent inside the rpg4j hooks during those iterations, and the mask operations
 * timed alone; and the cost of one topology update, amortised over deltaT = 100 iterations. The
 * hook time includes rpg4j's listener (the checks and the gradient mask run there). Run with
 * {@code mvn -pl rpg-core,rpg-dl4j -am test -Dtest=OverheadMeasurement -Drpg4j.overhead=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "rpg4j.overhead", matches = "true")
class OverheadMeasurement {
    private static final Logger LOG = LoggerFactory.getLogger(OverheadMeasurement.class);
    static final int BATCH = 64;
    static final int WARMUP = 20;
    static final int MEASURED = 60;

    static MultiLayerNetwork lenet() {
        MultiLayerConfiguration conf = Nets.base(new Nesterovs(0.01, 0.9), Nets.Decay.NONE).l2(5e-4).list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(20).activation(Activation.IDENTITY).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(50).activation(Activation.IDENTITY).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder().nOut(500).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Test
    void measureLeNet() {
        Nd4j.getRandom().setSeed(1);
        DataSet batch = new DataSet(Nd4j.rand(DataType.FLOAT, BATCH, 784), labels(BATCH));
        MultiLayerNetwork plain = lenet();
        MultiLayerNetwork pruned = lenet();
        // Ramp to 95 % within the first 20 iterations, then no more updates: the measured iterations are hot path.
        PruningConfig config = PruningConfig.builder(0.95, 1000).deltaT(2).rampEndFraction(0.018)
                .updateEndFraction(0.02).rankLoss(RankLoss.lambda(3.0).partialK(0.2)).build();
        Pruning pruning = Dl4jPruning.attach(pruned, config);
        report("LeNet-like, batch " + BATCH, plain, pruned, pruning, batch, WARMUP, MEASURED);
    }

    /**
     * ResNet-20 (CIFAR shapes, 21 convolutions + output). The hooks' cost does not depend on the
     * batch, so a batch of 16 keeps the run short; relate the hook time to a batch-128 iteration by hand.
     */
    @Test
    void measureResNet20() {
        Nd4j.getRandom().setSeed(2);
        DataSet batch = new DataSet(Nd4j.rand(DataType.FLOAT, 16, 3, 32, 32), labels(16));
        org.deeplearning4j.nn.graph.ComputationGraph plain = ResNet20.build();
        org.deeplearning4j.nn.graph.ComputationGraph pruned = ResNet20.build();
        PruningConfig config = PruningConfig.builder(0.95, 500).deltaT(2).rampEndFraction(0.018)
                .updateEndFraction(0.02).rankLoss(RankLoss.lambda(0.5).partialK(0.1)).build();
        Pruning pruning = Dl4jPruning.attach(pruned, config);
        report("ResNet-20, batch 16", plain, pruned, pruning, batch, 12, 10);
    }

    private static INDArray labels(int batch) {
        return Nd4j.eye(10).castTo(DataType.FLOAT).repeat(0, batch / 10 + 1)
                .get(NDArrayIndex.interval(0, batch), NDArrayIndex.all());
    }

    /** Interleaved iterations of both networks (alternating order), hooks timed in situ, then the mask ops alone. */
    private static void report(String model, Model plain, Model pruned, Pruning pruning, DataSet batch, int warmup,
                               int measured) {
        for (int i = 0; i < warmup; i++) {
            Nets.fit(plain, batch);
            Nets.fit(pruned, batch);
        }
        assertTrue(pruning.sparsity() > 0.949, "target reached before measuring");
        HookTimer timer = HookTimer.install(pruning);
        long[] plainNanos = new long[measured];
        long[] prunedNanos = new long[measured];
        long[] hookNanos = new long[measured];
        for (int i = 0; i < measured; i++) {
            boolean plainFirst = i % 2 == 0;
            long hooksBefore = timer.nanos();
            long t0 = System.nanoTime();
            Nets.fit(plainFirst ? plain : pruned, batch);
            long t1 = System.nanoTime();
            Nets.fit(plainFirst ? pruned : plain, batch);
            long t2 = System.nanoTime();
            plainNanos[i] = plainFirst ? t1 - t0 : t2 - t1;
            prunedNanos[i] = plainFirst ? t2 - t1 : t1 - t0;
            hookNanos[i] = timer.nanos() - hooksBefore;
        }
        double plainMedian = median(plainNanos) / 1e6;
        double hooks = median(hookNanos) / 1e6;
        LOG.info("{} at 95 %, {} interleaved iterations: without rpg4j median {} ms (min {}), with rpg4j median {} ms "
                + "(min {}); ratio of medians {}, of minima {}", model, measured, fmt(plainMedian),
                fmt(min(plainNanos) / 1e6), fmt(median(prunedNanos) / 1e6), fmt(min(prunedNanos) / 1e6),
                fmt(median(prunedNanos) / (double) median(plainNanos)),
                fmt(min(prunedNanos) / (double) min(plainNanos)));
        LOG.info("{}: time inside the rpg4j hooks per iteration: median {} ms (min {}) = {} % of the median iteration;"
                + " the {} tensors' mask ops timed alone: {} ms", model, fmt(hooks), fmt(min(hookNanos) / 1e6),
                fmt(100 * hooks / plainMedian), pruning.tensors().size(), fmt(hotPathMillis(pruning)));
        long updateMs = pruning.lastUpdate().orElseThrow().millis();
        LOG.info("{}: last topology update {} ms = {} % of the median iteration amortised over deltaT = 100", model,
                updateMs, fmt(100.0 * updateMs / (100 * plainMedian)));
    }

    /** The work the hooks do on a non-update iteration: mask every gradient slice, then every update slice. */
    private static double hotPathMillis(Pruning pruning) {
        List<TensorBinding> bindings = pruning.runtime().bindings();
        int repeats = 200;
        for (int r = 0; r < 20; r++) {
            bindings.forEach(b -> { b.maskGradient(); b.maskUpdate(); });
        }
        long t0 = System.nanoTime();
        for (int r = 0; r < repeats; r++) {
            for (TensorBinding b : bindings) {
                b.maskGradient();
                b.maskUpdate();
            }
        }
        return (System.nanoTime() - t0) / 1e6 / repeats;
    }

    /** Rebinds every rpg4j hook of the pruned layers to a decorator that adds up the time spent inside. */
    static final class HookTimer implements LayerHooks {
        private final LayerHooks target;
        private final long[] total;

        private HookTimer(LayerHooks target, long[] total) {
            this.target = target;
            this.total = total;
        }

        static HookTimer install(Pruning pruning) {
            long[] total = new long[1];
            HookTimer any = null;
            for (Map.Entry<String, Layer> e : pruning.runtime().layerConfs().entrySet()) {
                HookTimer timer = new HookTimer(pruning.runtime().layerHooks().get(e.getKey()), total);
                for (Regularization r : ((BaseLayer) e.getValue()).getRegularization()) {
                    if (r instanceof RpgRegularization hook) {
                        hook.bind(timer);
                    }
                }
                any = timer;
            }
            NetworkAdapter net = pruning.runtime().network();
            List<org.deeplearning4j.optimize.api.TrainingListener> listeners = new java.util.ArrayList<>();
            for (org.deeplearning4j.optimize.api.TrainingListener l : net.listeners()) {
                listeners.add(l == pruning.runtime().listener() ? new TimedListener(l, total) : l);
            }
            net.setListeners(listeners);
            return any;
        }

        long nanos() {
            return total[0];
        }

        @Override
        public void beforeRegularizations(int iteration, INDArray param) {
            long t0 = System.nanoTime();
            target.beforeRegularizations(iteration, param);
            total[0] += System.nanoTime() - t0;
        }

        @Override
        public Object network() {
            return target.network();
        }

        @Override
        public void maskGradients() {
            long t0 = System.nanoTime();
            target.maskGradients();
            total[0] += System.nanoTime() - t0;
        }

        @Override
        public void maskUpdates() {
            long t0 = System.nanoTime();
            target.maskUpdates();
            total[0] += System.nanoTime() - t0;
        }
    }

    /** Adds the time rpg4j's listener spends in its callbacks to the hook total. */
    static final class TimedListener extends org.deeplearning4j.optimize.api.BaseTrainingListener {
        private final org.deeplearning4j.optimize.api.TrainingListener target;
        private final long[] total;

        TimedListener(org.deeplearning4j.optimize.api.TrainingListener target, long[] total) {
            this.target = target;
            this.total = total;
        }

        @Override
        public void onGradientCalculation(org.deeplearning4j.nn.api.Model model) {
            long t0 = System.nanoTime();
            target.onGradientCalculation(model);
            total[0] += System.nanoTime() - t0;
        }

        @Override
        public void iterationDone(org.deeplearning4j.nn.api.Model model, int iteration, int epoch) {
            long t0 = System.nanoTime();
            target.iterationDone(model, iteration, epoch);
            total[0] += System.nanoTime() - t0;
        }

        @Override
        public void onEpochEnd(org.deeplearning4j.nn.api.Model model) {
            target.onEpochEnd(model);
        }
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static long min(long[] values) {
        return java.util.Arrays.stream(values).min().orElseThrow();
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.3f", v);
    }
}
