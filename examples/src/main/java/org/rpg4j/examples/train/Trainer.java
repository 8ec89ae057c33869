package org.rpg4j.examples.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.ISchedule;
import org.rpg4j.examples.data.BatchAssembler;

/**
 * The training loop: shuffled mini-batches, {@code net.fit} per batch (so that anything attached to
 * the network, such as pruning, runs inside DL4J's own step), a progress line every few iterations
 * and, after each epoch, test accuracy and per-layer sparsity and delta-rank. It can continue a run
 * from a {@link TrainerState} ({@link #resumeFrom}) and offers its state to a {@link CheckpointTrigger}
 * once per iteration ({@link #checkpoints}).
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
    private CheckpointTrigger checkpoints = CheckpointTrigger.NONE;
    private UnaryOperator<DataSet> labeller = UnaryOperator.identity();
    private TrainerState resume;
    private boolean started;
    private long startNanos;
    private long iteration;
    private double trainSeconds;
    private double evalSeconds;
    private double epochLoss;
    private double epochSeconds;
    private double windowLoss;
    private int windowIterations;
    private long windowStart;

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
     * Sets where the trainer's state is offered for checkpoints; call before {@link #run()}.
     *
     * @param trigger decides when to write a checkpoint ({@link CheckpointTrigger#NONE} for none)
     * @return this trainer
     * @throws IllegalArgumentException if trigger is null
     */
    public Trainer checkpoints(CheckpointTrigger trigger) {
        if (trigger == null) {
            throw new IllegalArgumentException("trigger must not be null (use CheckpointTrigger.NONE)");
        }
        this.checkpoints = trigger;
        return this;
    }

    /**
     * Sets a function applied to every training batch before {@code fit}, e.g. distillation's
     * teacher labels; call before {@link #run()}.
     *
     * @param batchLabeller returns the batch to train on (the default returns it unchanged)
     * @return this trainer
     * @throws IllegalArgumentException if batchLabeller is null
     */
    public Trainer labelBatches(UnaryOperator<DataSet> batchLabeller) {
        if (batchLabeller == null) {
            throw new IllegalArgumentException("batchLabeller must not be null (use UnaryOperator.identity())");
        }
        this.labeller = batchLabeller;
        return this;
    }

    /**
     * Continues a run from a checkpoint instead of starting at iteration 0; call before {@link #run()}.
     * The network must already hold the checkpoint's weights, updater state and counters.
     *
     * @param state the trainer's state at the checkpoint
     * @return this trainer
     * @throws IllegalArgumentException if the state does not belong to this plan or network (seeds,
     *     position or iteration counter differ)
     */
    public Trainer resumeFrom(TrainerState state) {
        long expectedIteration = (long) (state.epoch() - 1) * plan.iterationsPerEpoch() + state.batch();
        if (state.iteration() != expectedIteration || state.iteration() > plan.totalIterations()
                || state.shuffleSeed() != shuffleSeed(state.epoch())
                || state.augmentationSeed() != augmentationSeed(state.epoch())
                || state.augmentedImages() != (long) state.batch() * plan.batchSize()) {
            throw new IllegalArgumentException("the checkpoint's trainer state (iteration " + state.iteration()
                    + ", epoch " + state.epoch() + ", batch " + state.batch() + ") does not belong to this run's plan "
                    + "(seed " + plan.seed() + ", " + plan.iterationsPerEpoch() + " iterations of " + plan.batchSize()
                    + " images per epoch, " + plan.totalIterations() + " iterations)");
        }
        if (net.getIterationCount() != state.iteration()) {
            throw new IllegalArgumentException("the checkpoint's network has done " + net.getIterationCount()
                    + " iterations but its trainer state " + state.iteration());
        }
        this.resume = state;
        return this;
    }

    /**
     * Trains for the planned iterations (the remaining ones after {@link #resumeFrom}); call once.
     *
     * @return what the run measured (including what was measured before the checkpoint)
     * @throws IllegalStateException if called twice, or if the loss becomes NaN or infinite
     * @throws java.io.UncheckedIOException if a checkpoint cannot be written
     */
    public TrainingHistory run() {
        if (started) {
            throw new IllegalStateException("run() may be called only once per Trainer");
        }
        started = true;
        startNanos = System.nanoTime();
        int firstEpoch = 1;
        int firstBatch = 0;
        if (resume != null) {
            restore(resume);
            firstEpoch = resume.epoch();
            firstBatch = resume.batch();
        }
        for (int epoch = firstEpoch; epoch <= plan.epochs() && iteration < plan.totalIterations(); epoch++) {
            if (epoch != firstEpoch || firstBatch == 0) {
                startEpoch();
            }
            trainEpoch(epoch, epoch == firstEpoch ? firstBatch : 0);
            endEpoch(epoch);
            int next = epoch + 1;
            if (iteration < plan.totalIterations()) {
                checkpoints.offer(iteration, () -> state(next, 0));
            }
        }
        return new TrainingHistory(epochs, trace, trainSeconds, evalSeconds, iteration, iteration * plan.batchSize());
    }

    private void endEpoch(int epoch) {
        net.incrementEpochCount();
        long e0 = System.nanoTime();
        double accuracy = Evaluator.accuracy(net, test, plan.evalBatchSize());
        List<LayerStat> layers = WeightInspector.inspect(net, true);
        evalSeconds += (System.nanoTime() - e0) / 1e9;
        long done = iteration - (long) (epoch - 1) * plan.iterationsPerEpoch();
        EpochMetrics metrics = new EpochMetrics(epoch, iteration, epochLoss / done, accuracy,
                sparsity(layers), WeightInspector.meanDeltaRank(layers), lr(iteration - 1),
                done * plan.batchSize() / epochSeconds, (System.nanoTime() - startNanos) / 1e9, layers);
        epochs.add(metrics);
        out.accept(epochLine(metrics));
        out.accept(layerLine(layers));
    }

    private void startEpoch() {
        epochLoss = 0;
        epochSeconds = 0;
        windowLoss = 0;
        windowIterations = 0;
        windowStart = System.nanoTime();
    }

    private void restore(TrainerState s) {
        iteration = s.iteration();
        epochs.addAll(s.epochs());
        trace.addAll(s.trace());
        trainSeconds = s.trainingSeconds();
        evalSeconds = s.evaluationSeconds();
        epochLoss = s.epochLoss();
        epochSeconds = s.epochSeconds();
        windowLoss = s.windowLoss();
        windowIterations = s.windowIterations();
        long now = System.nanoTime();
        windowStart = now - Math.round(s.windowSeconds() * 1e9);
        startNanos = now - Math.round(s.elapsedSeconds() * 1e9);
        Nd4j.getRandom().setStates(s.randomRootState(), s.randomNodeState());
    }

    private TrainerState state(int epoch, int batch) {
        long now = System.nanoTime();
        Random random = Nd4j.getRandom();
        return new TrainerState(iteration, epoch, batch, shuffleSeed(epoch), augmentationSeed(epoch),
                (long) batch * plan.batchSize(), random.rootState(), random.nodeState(), epochLoss, epochSeconds,
                windowLoss, windowIterations, (now - windowStart) / 1e9, trainSeconds, evalSeconds,
                (now - startNanos) / 1e9, epochs, trace);
    }

    private long shuffleSeed(int epoch) {
        return plan.seed() * 1_000_003L + epoch;
    }

    private long augmentationSeed(int epoch) {
        return plan.seed() * 7_919L + epoch;
    }

    /** Trains the epoch's batches from {@code firstBatch} on, adding to the epoch's and window's sums. */
    private void trainEpoch(int epoch, int firstBatch) {
        int[] order = BatchAssembler.shuffledIndices(train.images().size(), new SplittableRandom(shuffleSeed(epoch)));
        SplittableRandom augmentation = new SplittableRandom(augmentationSeed(epoch));
        train.advance(augmentation, (long) firstBatch * plan.batchSize());
        for (int b = firstBatch; b < plan.iterationsPerEpoch() && iteration < plan.totalIterations(); b++) {
            long t0 = System.nanoTime();
            DataSet batch = labeller.apply(train.batch(order, b * plan.batchSize(), (b + 1) * plan.batchSize(),
                    augmentation));
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
            int next = b + 1;
            if (next < plan.iterationsPerEpoch() && iteration < plan.totalIterations()) {
                checkpoints.offer(iteration, () -> state(epoch, next));
            }
        }
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
                p.loss(), p.learningRate(), p.imagesPerSecond(), p.sparsity(), state.isEmpty() ? "" : " (" + state
                        + ")",
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

}
