package org.rpg4j.prune;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A framework-free stand-in for an adapter: three tensors (two convolutions stored
 * {@code [out,in,kh,kw]} in C order, one dense {@code [nIn,nOut]} in F order like DL4J), seeded
 * pseudo-gradients that depend on the weights, SGD with momentum, and the pruner's protocol.
 */
final class TrainingSimulation {
    static final float LEARNING_RATE = 0.05f;

    final Map<String, INDArray> weights = new LinkedHashMap<>();
    final Map<String, INDArray> momentum = new LinkedHashMap<>();
    final Pruner pruner;
    long iteration;

    TrainingSimulation(PruningConfig config, long seed) {
        List<PrunableTensor> tensors = tensors();
        SplittableRandom random = new SplittableRandom(seed);
        for (PrunableTensor t : tensors) {
            char order = t.kind() == TensorKind.DENSE ? 'f' : 'c';
            INDArray w = Nd4j.create(DataType.FLOAT, t.shape(), order);
            w.assign(gaussian(random, t.shape(), 0.1f));
            weights.put(t.name(), w);
            momentum.put(t.name(), Nd4j.zeros(DataType.FLOAT, t.shape()));
        }
        pruner = Pruner.create(config, tensors);
        pruner.initialise(weights);
    }

    private TrainingSimulation(TrainingSimulation from, Pruner pruner, long iteration) {
        weights.putAll(from.weights);
        momentum.putAll(from.momentum);
        this.pruner = pruner;
        this.iteration = iteration;
    }

    /** @return a simulation over the same arrays, driven by {@code pruner} from {@code iteration} on */
    TrainingSimulation withPruner(Pruner pruner, long iteration) {
        return new TrainingSimulation(this, pruner, iteration);
    }

    static List<PrunableTensor> tensors() {
        return List.of(
                PrunableTensor.convolution("conv1", "ConvolutionLayer", new long[] {8, 3, 3, 3}, DataType.FLOAT),
                PrunableTensor.convolution("conv2", "ConvolutionLayer", new long[] {16, 8, 3, 3}, DataType.FLOAT),
                PrunableTensor.dense("fc", "OutputLayer", new long[] {144, 10}, DataType.FLOAT));
    }

    /** Runs iterations up to (not including) {@code end}. */
    void runUntil(long end) {
        while (iteration < end) {
            step();
        }
    }

    void step() {
        Map<String, INDArray> gradients = gradients();
        if (pruner.isUpdateIteration(iteration)) {
            pruner.updateTopology(iteration, weights, gradients);
            pruner.applyMasksInPlace(momentum);
        } else {
            if (pruner.addsRankGradient(iteration)) {
                RankStep rank = pruner.rankStep(weights);
                gradients.forEach(rank::addGradientInPlace);
            }
            pruner.applyMasksInPlace(gradients);
            for (String name : weights.keySet()) {
                INDArray v = momentum.get(name).muli(0.9).addi(gradients.get(name));
                weights.get(name).subi(v.mul(LEARNING_RATE));
            }
            pruner.applyMasksInPlace(momentum);
            pruner.applyMasksInPlace(weights);
        }
        iteration++;
    }

    /** A deterministic gradient: pull towards a fixed random target plus iteration-seeded noise. */
    private Map<String, INDArray> gradients() {
        SplittableRandom noise = new SplittableRandom(1000 + iteration);
        Map<String, INDArray> g = new LinkedHashMap<>();
        SplittableRandom target = new SplittableRandom(99);
        for (Map.Entry<String, INDArray> e : weights.entrySet()) {
            long[] shape = e.getValue().shape();
            INDArray pull = e.getValue().sub(gaussian(target, shape, 0.2f));
            g.put(e.getKey(), pull.addi(gaussian(noise, shape, 0.05f)));
        }
        return g;
    }

    static INDArray gaussian(SplittableRandom random, long[] shape, float scale) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] values = new float[(int) n];
        for (int i = 0; i < values.length; i++) {
            double u1 = random.nextDouble(Double.MIN_NORMAL, 1.0);
            double u2 = random.nextDouble();
            values[i] = (float) (scale * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
        }
        return Nd4j.create(values, shape, 'c');
    }

    long totalWeights() {
        return weights.values().stream().mapToLong(INDArray::length).sum();
    }

    long keptCount() {
        long kept = 0;
        for (String name : weights.keySet()) {
            kept += pruner.mask(name).sumNumber().longValue();
        }
        return kept;
    }

    /** @return number of masked weights that are not exactly 0.0 */
    long revivedCount() {
        long revived = 0;
        for (Map.Entry<String, INDArray> e : weights.entrySet()) {
            INDArray masked = e.getValue().mul(pruner.mask(e.getKey()).rsub(1.0));
            revived += masked.neq(0.0).castTo(DataType.INT64).sumNumber().longValue();
        }
        return revived;
    }
}
