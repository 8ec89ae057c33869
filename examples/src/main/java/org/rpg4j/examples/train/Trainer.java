package org.rpg4j.examples.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.schedule.ISchedule;
import org.rpg4j.examples.data.BatchAssembler;

/**
 * The training loop: shuffled mini-batches, {@code net.fit} per batch (so that anything attached to
 * the network, such as pruning, runs inside DL4J's own step), a progress line every few iterations
 * and, after each epoch, test accuracy and per-layer sparsity and delta-rank.
 */
public final class Trainer {
    private final ComputationGraph net;
    private final BatchAssembler train;
    private final BatchAssembler test;
    private final TrainingPlan plan;
    private final ISchedule learningRate;
    private final PruningHook pruning;
    private final Consumer<String> out;
    private final List<EpochMetrics> epochs = new ArrayList<>();
    private final List<TracePoint> trace = new ArrayList<>();
    private long startNanos;
    private long iteration;
    private double trainSeconds;
    private double evalSeconds;

    /**
     * @param net the initialised network (pruning already attached, if any); trained in place
     * @param train assembler of training batches (with augmentation)
     * @param test assembler of test batches (without augmentation)
     * @param plan epochs, batch size, iterations
     * @param learningRate the schedule the network's updater uses, for the progress lines
     * @param pruning the pruning attached to the network, for the progress lines
     * @param out where progress and epoch lines go (e.g. {@code System.out::println})
     */
    public Trainer(ComputationGraph net, BatchAssembler train, BatchAssembler test, TrainingPlan plan,
                   ISchedule learningRate, PruningHook pruning, Consumer<String> out) {
        this.net = net;
        this.train = train;
        this.test = test;
        this.plan = plan;
        this.learningRate = learningRate;
        this.pruning = pruning;
        this.out = out;
    }

    /**
     * Trains for the planned iterations; call once.
     *
     * @return what the run measured
     * @throws IllegalStateException if called twice, or if the loss becomes NaN or infinite
     */
    public TrainingHistory run() {
        if (startNanos != 0) {
            throw new IllegalStateException("run() may be called only once per Trainer");
        }
        startNanos = System.nanoTime();
        for (int epoch = 1; epoch <= plan.epochs() && iteration < plan.totalIterations(); epoch++) {
            long epochStart = iteration;
            double[] lossAndSeconds = trainEpoch(epoch);
            net.incrementEpochCount();
            long e0 = System.nanoTime();
            double accuracy = Evaluator.accuracy(net, test, plan.evalBatchSize());
            List<LayerStat> layers = WeightInspector.inspect(net, true);
            evalSeconds += (System.nanoTime() - e0) / 1e9;
            long done = iteration - epochStart;
            EpochMetrics metrics = new EpochMetrics(epoch, iteration, lossAndSeconds[0] / done, accuracy,
                    sparsity(layers), WeightInspector.meanDeltaRank(layers), lr(iteration - 1),
                    done * plan.batchSize() / lossAndSeconds[1], (System.nanoTime() - startNanos) / 1e9, layers);
            epochs.add(metrics);
            out.accept(epochLine(metrics));
            out.accept(layerLine(layers));
        }
        return new TrainingHistory(epochs, trace, trainSeconds, evalSeconds, iteration, iteration * plan.batchSize());
    }

    /** @return the summed loss and the training seconds of the epoch */
    private double[] trainEpoch(int epoch) {
        int[] order = permutation(train.images().size(), new SplittableRandom(plan.seed() * 1_000_003L + epoch));
        SplittableRandom augmentation = new SplittableRandom(plan.seed() * 7_919L + epoch);
        double epochLoss = 0;
        double epochSeconds = 0;
        double windowLoss = 0;
        int windowIterations = 0;
        long windowStart = System.nanoTime();
        for (int b = 0; b < plan.iterationsPerEpoch() && iteration < plan.totalIterations(); b++) {
            long t0 = System.nanoTime();
            DataSet batch = train.batch(order, b * plan.batchSize(), (b + 1) * plan.batchSize(), augmentation);
            net.fit(batch);
            double seconds = (System.nanoTime() - t0) / 1e9;
            trainSeconds += seconds;
            epochSeconds += seconds;
            iteration++;
            double loss = net.score();
            if (!Double.isFinite(loss)) {
                throw new IllegalStateException("training diverged: the loss is " + loss + " at iteration "
                        + iteration + "; try a lower --lr or a longer --warmup-epochs");
            }
            epochLoss += loss;
            windowLoss += loss;
            windowIterations++;
            if (iteration % plan.progressEvery() == 0 || iteration == plan.totalIterations()) {
                double windowSeconds = (System.nanoTime() - windowStart) / 1e9;
                TracePoint point = new TracePoint(iteration, windowLoss / windowIterations,
                        WeightInspector.globalSparsity(net), lr(iteration - 1),
                        windowIterations * plan.batchSize() / windowSeconds);
                trace.add(point);
                out.accept(progressLine(epoch, point));
                windowLoss = 0;
                windowIterations = 0;
                windowStart = System.nanoTime();
            }
        }
        return new double[] {epochLoss, epochSeconds};
    }

    private double lr(long iteration) {
        return learningRate.valueAt((int) iteration, 0);
    }

    /** ETA: remaining iterations at the mean time per iteration, plus remaining evaluations at their mean time. */
    private String progressLine(int epoch, TracePoint p) {
        double evalPerEpoch = epoch > 1 ? evalSeconds / (epoch - 1) : 0;
        double remaining = (plan.totalIterations() - p.iteration()) * trainSeconds / iteration
                + (plan.epochs() - epoch + 1) * evalPerEpoch;
        String state = pruning.progress();
        return String.format(Locale.ROOT, "[epoch %d/%d] iter %d/%d | loss %.4f | lr %.4f | %.1f img/s | "
                        + "sparsity %.4f%s | ETA %s", epoch, plan.epochs(), p.iteration(), plan.totalIterations(),
                p.loss(), p.learningRate(), p.imagesPerSecond(), p.sparsity(), state.isEmpty() ? "" : " (" + state + ")",
                duration(remaining));
    }

    private String epochLine(EpochMetrics m) {
        return String.format(Locale.ROOT, "== epoch %d/%d (iteration %d): test accuracy %.4f | sparsity %.4f | "
                        + "mean delta-rank %.1f | train loss %.4f | %.1f img/s | %s elapsed", m.epoch(), plan.epochs(),
                m.iteration(), m.testAccuracy(), m.sparsity(), m.meanDeltaRank(), m.trainLoss(), m.imagesPerSecond(),
                duration(m.elapsedSeconds()));
    }

    private static String layerLine(List<LayerStat> layers) {
        StringBuilder sb = new StringBuilder("   per layer (delta-rank/full rank, sparsity):");
        for (LayerStat s : layers) {
            sb.append(String.format(Locale.ROOT, " %s %d/%d %.2f;", s.name(), s.deltaRank(), s.fullRank(),
                    s.sparsity()));
        }
        return sb.toString();
    }

    /** @return e.g. {@code 1h02m}, {@code 3m05s}, {@code 42s} */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }

    private static double sparsity(List<LayerStat> layers) {
        long total = layers.stream().mapToLong(LayerStat::parameters).sum();
        long nonZeros = layers.stream().mapToLong(LayerStat::nonZeros).sum();
        return total == 0 ? 0 : 1.0 - (double) nonZeros / total;
    }

    /** Fisher-Yates shuffle of {@code 0 .. n-1}. */
    static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
