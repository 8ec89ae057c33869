package org.rpg4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.rpg4j.dl4j.hooks.LayerHooks;
import org.rpg4j.dl4j.hooks.RpgRegularization;
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
import org.nd4j.linalg.factory.Nd4j;
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
 * listener's per-iteration work (a few field reads) is not timed. Run with
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
    void measure() {
        Nd4j.getRandom().setSeed(1);
        DataSet batch = new DataSet(Nd4j.rand(DataType.FLOAT, BATCH, 784),
                Nd4j.eye(10).castTo(DataType.FLOAT).repeat(0, BATCH / 10 + 1).get(
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(0, BATCH),
                        org.nd4j.linalg.indexing.NDArrayIndex.all()));
        MultiLayerNetwork plain = lenet();
        MultiLayerNetwork pruned = lenet();
        // Ramp to 95 % within the first 20 iterations, then no more updates: the measured iterations are hot path.
        PruningConfig config = PruningConfig.builder(0.95).totalIterations(1000).deltaT(2).rampEndFraction(0.018)
                .updateEndFraction(0.02).rankLoss(RankLoss.lambda(3.0).partialK(0.2)).build();
        Pruning pruning = Dl4jPruning.attach(pruned, config);
        for (int i = 0; i < WARMUP; i++) {
            plain.fit(batch);
            pruned.fit(batch);
        }
        assertTrue(pruning.sparsity() > 0.949, "target reached before measuring");
        HookTimer timer = HookTimer.install(pruning);
        long[] plainNanos = new long[MEASURED];
        long[] prunedNanos = new long[MEASURED];
        for (int i = 0; i < MEASURED; i++) {
            // Alternate the order so that neither network always runs right after the other.
            boolean plainFirst = i % 2 == 0;
            long t0 = System.nanoTime();
            (plainFirst ? plain : pruned).fit(batch);
            long t1 = System.nanoTime();
            (plainFirst ? pruned : plain).fit(batch);
            long t2 = System.nanoTime();
            plainNanos[i] = plainFirst ? t1 - t0 : t2 - t1;
            prunedNanos[i] = plainFirst ? t2 - t1 : t1 - t0;
        }
        double plainMs = median(plainNanos) / 1e6;
        double prunedMs = median(prunedNanos) / 1e6;
        double inSituMs = timer.nanos() / 1e6 / MEASURED;
        double hotPathMs = hotPathMillis(pruning);
        long updateMs = pruning.lastUpdate().orElseThrow().millis();
        LOG.info("LeNet-like, batch {}, median of {} interleaved iterations: {} ms without rpg4j, {} ms with rpg4j at "
                        + "95 % (ratio {})", BATCH, MEASURED, fmt(plainMs), fmt(prunedMs), fmt(prunedMs / plainMs));
        LOG.info("time inside the rpg4j hooks during those iterations: {} ms per iteration = {} % of an iteration",
                fmt(inSituMs), fmt(100 * inSituMs / plainMs));
        LOG.info("hot path alone (gradient and update masks of {} tensors, timed in isolation): {} ms per iteration "
                + "= {} % of an iteration", pruning.tensors().size(), fmt(hotPathMs), fmt(100 * hotPathMs / plainMs));
        LOG.info("last topology update {} ms = {} % of an iteration amortised over deltaT = 100", updateMs,
                fmt(100.0 * updateMs / (100 * plainMs)));
    }

    /**
     * ResNet-20 (CIFAR shapes, 21 convolutions + output): the hooks' cost does not depend on the batch,
     * so it is timed in situ over a few batch-16 iterations and related to the measured iteration.
     */
    @Test
    void measureResNet20() {
        Nd4j.getRandom().setSeed(2);
        int batchSize = 16;
        DataSet batch = new DataSet(Nd4j.rand(DataType.FLOAT, batchSize, 3, 32, 32),
                Nd4j.eye(10).castTo(DataType.FLOAT).repeat(0, 2).get(
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(0, batchSize),
                        org.nd4j.linalg.indexing.NDArrayIndex.all()));
        org.deeplearning4j.nn.graph.ComputationGraph plain = ResNet20.build();
        org.deeplearning4j.nn.graph.ComputationGraph pruned = ResNet20.build();
        PruningConfig config = PruningConfig.builder(0.95).totalIterations(500).deltaT(2).rampEndFraction(0.018)
                .updateEndFraction(0.02).rankLoss(RankLoss.lambda(0.5).partialK(0.1)).build();
        Pruning pruning = Dl4jPruning.attach(pruned, config);
        for (int i = 0; i < 12; i++) {
            plain.fit(batch);
            pruned.fit(batch);
        }
        assertTrue(pruning.sparsity() > 0.949, "target reached before measuring");
        HookTimer timer = HookTimer.install(pruning);
        int measured = 8;
        long[] plainNanos = new long[measured];
        long[] prunedNanos = new long[measured];
        for (int i = 0; i < measured; i++) {
            long t0 = System.nanoTime();
            plain.fit(batch);
            long t1 = System.nanoTime();
            pruned.fit(batch);
            prunedNanos[i] = System.nanoTime() - t1;
            plainNanos[i] = t1 - t0;
        }
        double plainMs = median(plainNanos) / 1e6;
        double inSituMs = timer.nanos() / 1e6 / measured;
        LOG.info("ResNet-20, batch {}: {} ms/iteration without rpg4j, {} with (median of {}); time inside the rpg4j "
                        + "hooks {} ms per iteration (mask ops alone {} ms) = {} % of this iteration; last topology "
                        + "update {} ms", batchSize, fmt(plainMs), fmt(median(prunedNanos) / 1e6), measured,
                fmt(inSituMs), fmt(hotPathMillis(pruning)), fmt(100 * inSituMs / plainMs),
                pruning.lastUpdate().orElseThrow().millis());
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
            return any;
        }

        long nanos() {
            return total[0];
        }

        @Override
        public void beforeRegularizations(int iteration) {
            long t0 = System.nanoTime();
            target.beforeRegularizations(iteration);
            total[0] += System.nanoTime() - t0;
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

    private static double median(long[] values) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.3f", v);
    }
}
