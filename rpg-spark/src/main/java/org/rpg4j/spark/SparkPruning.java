package org.rpg4j.spark;

import java.io.File;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.dl4j.PrunableLayers;
import org.rpg4j.prune.PrunableTensor;
import org.rpg4j.prune.Pruner;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.RankLossMode;
import org.rpg4j.prune.UpdateSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prunes a DL4J network trained on Spark under {@code ParameterAveragingTrainingMaster}, one
 * averaging round per {@link #fitRound} call:
 *
 * <pre>{@code
 * SparkPruning pruning = SparkPruning.attach(sparkNet, PruningConfig.builder(0.9, totalIterations)
 *         .deltaT(averagingFrequency).build());
 * for (JavaRDD<DataSet> roundData : rounds) {   // numWorkers * averagingFrequency minibatches each
 *     pruning.fitRound(roundData);
 * }
 * }</pre>
 *
 * <p>The masks live on the driver, in one rpg-core {@link Pruner}. Each round ships them, explicitly,
 * in a {@link RoundPlan} carried by rpg4j's training hook; every executor checks the broadcast weights
 * against them, masks the gradient, and after every update sets pruned weights to exactly 0.0 and
 * zeroes their updater state. When a topology update falls in the round, the executors add their
 * dense batch-mean gradients into a Spark accumulator; after the round the driver averages them
 * over all tasks and iterations and runs the one topology update on the averaged weights, before
 * the next broadcast. Pruner iteration {@code p} is the {@code p}-th minibatch each worker has
 * trained since attach; the update due at an iteration inside a round runs at the round's end.
 * The rank loss of a topology update is computed once, on the driver, from the averaged weights.
 * In {@code RankLossMode.REGULARISER} each round also ships a read-only copy of the driver's pruner
 * (configuration and state), and every executor adds the rank-loss gradient of its own current
 * weights at the iterations the schedule says, as a single-JVM run does.
 *
 * <p>Not supported (refused at attach): {@code SharedTrainingMaster} and other masters, and
 * {@code deltaT} below the averaging frequency. Not thread-safe.
 */
public final class SparkPruning {
    private static final Logger LOG = LoggerFactory.getLogger(SparkPruning.class);

    private final SparkNetwork network;
    private final ParameterAveragingTrainingMaster master;
    private final PruningConfig config;
    private final Pruner pruner;
    private final RoundScoreAccumulator accumulator = new RoundScoreAccumulator();
    private final ExecutorMasking executors;
    private long iteration;
    private long round;

    private SparkPruning(SparkNetwork network, PruningConfig config, Pruner pruner, long iteration, long round) {
        this.network = network;
        this.master = TrainingMasterCheck.require(network.master());
        this.config = config;
        this.pruner = pruner;
        this.iteration = iteration;
        this.round = round;
        network.context().sc().register(accumulator, "rpg4j round scores");
        this.executors = new ExecutorMasking(nextPlan(), accumulator);
        master.addHook(executors);
        master.setListeners(List.of(executors));
        UpdaterStateMasking.applyInPlace(network.model(), masks());
    }

    /**
     * Same as {@code attach(sparkNet, config, PrunableLayers.defaults())}.
     *
     * @param sparkNet the Spark network (its driver network initialised)
     * @param config the pruning run
     * @return the handle of the run
     */
    public static SparkPruning attach(SparkDl4jMultiLayer sparkNet, PruningConfig config) {
        return attach(SparkNetwork.of(sparkNet), config, PrunableLayers.defaults());
    }

    /**
     * Same as {@code attach(sparkNet, config, PrunableLayers.defaults())}.
     *
     * @param sparkNet the Spark network (its driver network initialised)
     * @param config the pruning run
     * @return the handle of the run
     */
    public static SparkPruning attach(SparkComputationGraph sparkNet, PruningConfig config) {
        return attach(SparkNetwork.of(sparkNet), config, PrunableLayers.defaults());
    }

    /**
     * Attaches RPG to a Spark network: finds the prunable weights, builds the starting masks on the
     * driver, zeroes the masked weights and their updater state, and adds rpg4j's hook and listener
     * to the training master ({@code setListeners} on the master afterwards removes the listener;
     * the next round then fails).
     *
     * @param sparkNet the Spark network (its driver network initialised)
     * @param config the pruning run
     * @param layers which layer configurations hold prunable weights
     * @return the handle of the run
     * @throws IllegalArgumentException if an argument is null, the master is not a
     *     {@code ParameterAveragingTrainingMaster} (a {@code SharedTrainingMaster} is refused by name),
     *     {@code deltaT} is below the averaging frequency, or nothing is prunable
     * @throws IllegalStateException if rpg4j is already attached to this training master
     */
    public static SparkPruning attach(SparkDl4jMultiLayer sparkNet, PruningConfig config, PrunableLayers layers) {
        return attach(SparkNetwork.of(sparkNet), config, layers);
    }

    /**
     * As {@link #attach(SparkDl4jMultiLayer, PruningConfig, PrunableLayers)}, for a graph.
     *
     * @param sparkNet the Spark network (its driver network initialised)
     * @param config the pruning run
     * @param layers which layer configurations hold prunable weights
     * @return the handle of the run
     */
    public static SparkPruning attach(SparkComputationGraph sparkNet, PruningConfig config, PrunableLayers layers) {
        return attach(SparkNetwork.of(sparkNet), config, layers);
    }

    private static SparkPruning attach(SparkNetwork network, PruningConfig config, PrunableLayers layers) {
        if (config == null || layers == null) {
            throw new IllegalArgumentException("config and layers must not be null");
        }
        ParameterAveragingTrainingMaster master = TrainingMasterCheck.require(network.master());
        TrainingMasterCheck.requireSupported(config, master);
        if (master.getTrainingHookList() != null
                && master.getTrainingHookList().stream().anyMatch(ExecutorMasking.class::isInstance)) {
            throw new IllegalStateException("rpg4j is already attached to this training master");
        }
        List<PrunableTensor> tensors = PrunedTensors.discover(network.model(), config, layers);
        Pruner pruner = Pruner.create(config, tensors);
        pruner.initialise(weights(network.model(), pruner));
        return new SparkPruning(network, config, pruner, 0, 0);
    }

    /**
     * Continues a run saved by {@link #save}: the Spark network must be built on the network loaded
     * from the same file ({@code ModelSerializer.restoreMultiLayerNetwork(file, true)}).
     *
     * @param sparkNet the Spark network around the loaded network
     * @param file the saved model
     * @return the handle, at the saved iteration and round
     * @throws IOException if the file cannot be read or holds no rpg4j Spark state
     */
    public static SparkPruning restore(SparkDl4jMultiLayer sparkNet, File file) throws IOException {
        return restore(SparkNetwork.of(sparkNet), file);
    }

    /**
     * As {@link #restore(SparkDl4jMultiLayer, File)}, for a graph
     * ({@code ModelSerializer.restoreComputationGraph(file, true)}).
     *
     * @param sparkNet the Spark network around the loaded graph
     * @param file the saved model
     * @return the handle, at the saved iteration and round
     * @throws IOException if the file cannot be read or holds no rpg4j Spark state
     */
    public static SparkPruning restore(SparkComputationGraph sparkNet, File file) throws IOException {
        return restore(SparkNetwork.of(sparkNet), file);
    }

    private static SparkPruning restore(SparkNetwork network, File file) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("file must not be null");
        }
        SparkPruningArchive.Saved saved = SparkPruningArchive.read(file);
        TrainingMasterCheck.requireSupported(saved.config(), TrainingMasterCheck.require(network.master()));
        List<PrunableTensor> tensors = PrunedTensors.discover(network.model(), saved.config(),
                PrunableLayers.defaults());
        Pruner pruner = Pruner.restore(saved.config(), tensors, saved.state());
        return new SparkPruning(network, saved.config(), pruner, saved.iteration(), saved.round());
    }

    /**
     * Trains one averaging round on {@code data} (at most {@code numWorkers * averagingFrequency}
     * minibatches, so that DL4J does not split it into several rounds), then checks the averaged
     * weights against the masks and runs the topology update due in the round, if any.
     *
     * @param data the round's minibatches
     * @return what the round did
     * @throws IllegalArgumentException if data is null
     * @throws IllegalStateException if the executors' listener did not run at every iteration, a
     *     masked weight of the averaged network is non-zero, or the round ran more iterations per
     *     worker than planned for (the data was split into several rounds or partitioned unevenly)
     */
    public RoundResult fitRound(JavaRDD<DataSet> data) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        accumulator.reset();
        network.fit().accept(data);
        long start = System.nanoTime();
        RoundScores scores = accumulator.value().copy();
        RoundChecks.executors(scores, round, master.getAveragingFrequency());
        RoundChecks.driverWeights(weights(network.model(), pruner), pruner, round);
        long first = iteration;
        long n = scores.maxTaskIterations();
        Optional<UpdateSummary> update = topologyUpdate(first, n, scores);
        iteration += n;
        round++;
        executors.plan(nextPlan());
        double millis = (System.nanoTime() - start) / 1e6;
        LOG.debug("rpg4j round {}: {} iterations, {} tasks, sparsity {}, {} ms", round - 1, n, scores.tasks(),
                pruner.sparsity(), millis);
        return new RoundResult(round - 1, first, n, scores.tasks(), scores.maskViolations(), scores.rankSteps(),
                update, millis);
    }

    private Optional<UpdateSummary> topologyUpdate(long first, long n, RoundScores scores) {
        long due = -1;
        for (long p = first; p < first + n; p++) {
            if (pruner.isUpdateIteration(p)) {
                due = p;
            }
        }
        if (due < 0) {
            return Optional.empty();
        }
        if (scores.gradientSteps() == 0) {
            throw new IllegalStateException("round " + round + ": topology update due at iteration " + due
                    + " but the executors captured no gradient (the round was planned for fewer iterations)");
        }
        Map<String, INDArray> gradients = new LinkedHashMap<>();
        RoundPlan plan = executors.plan();
        scores.gradientSums().forEach((name, sum) -> {
            float[] mean = new float[sum.length];
            for (int i = 0; i < sum.length; i++) {
                mean[i] = (float) (sum[i] / scores.gradientSteps());
            }
            gradients.put(name, Nd4j.create(mean, plan.shape(name), 'c'));
        });
        Model model = network.model();
        UpdateSummary summary = pruner.updateTopology(due, weights(model, pruner), gradients);
        UpdaterStateMasking.applyInPlace(model, masks());
        return Optional.of(summary);
    }

    private RoundPlan nextPlan() {
        ScoreCapture capture = ScoreCapture.NONE;
        for (long p = iteration; p < iteration + master.getAveragingFrequency(); p++) {
            if (pruner.isUpdateIteration(p)) {
                capture = ScoreCapture.DENSE_GRADIENT;
            }
        }
        Map<String, float[]> masks = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (PrunableTensor t : pruner.tensors()) {
            masks.put(t.name(), Nd4j.toFlattened('c', pruner.mask(t.name())).toFloatVector());
            shapes.put(t.name(), t.shape());
        }
        // Only the regulariser mode needs the rank gradient on the executors.
        ExecutorPruner rank = config.rankLoss().enabled() && config.rankLoss().mode() == RankLossMode.REGULARISER
                ? new ExecutorPruner(pruner) : null;
        return new RoundPlan(round, iteration, masks, shapes, capture, rank);
    }

    private Map<String, INDArray> masks() {
        Map<String, INDArray> masks = new LinkedHashMap<>();
        pruner.tensors().forEach(t -> masks.put(t.name(), pruner.mask(t.name())));
        return masks;
    }

    private static Map<String, INDArray> weights(Model model, Pruner pruner) {
        Map<String, INDArray> params = model.paramTable();
        Map<String, INDArray> weights = new LinkedHashMap<>();
        pruner.tensors().forEach(t -> weights.put(t.name(), params.get(t.name())));
        return weights;
    }

    /**
     * Writes the driver's network (with its updater state) with {@code ModelSerializer} plus the
     * pruning configuration, the masks and the iteration and round counters.
     *
     * @param file the model zip to write (replaced if it exists)
     * @throws IOException if writing fails
     */
    public void save(File file) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("file must not be null");
        }
        SparkPruningArchive.write(file, network.model(), config, pruner.state(), iteration, round);
    }

    /** @return the pruning iterations (minibatches per worker) trained since attach */
    public long iteration() {
        return iteration;
    }

    /** @return the averaging rounds completed since attach */
    public long round() {
        return round;
    }

    /** @return the fraction of masked weights over all pruned tensors, in [0, 1] */
    public double sparsity() {
        return pruner.sparsity();
    }

    /**
     * @return whether the schedule's density has reached the target for the iterations trained
     */
    public boolean reachedTarget() {
        return iteration > 0 && pruner.schedule().density(iteration - 1) == pruner.schedule().targetDensity();
    }

    /** @return the pruned tensors; names are parameter-table keys ({@code "0_W"}, {@code "conv1_W"}) */
    public List<PrunableTensor> tensors() {
        return pruner.tensors();
    }

    /**
     * @param name a name from {@link #tensors()}
     * @return the driver's current mask (1 kept, 0 pruned), logical shape; read-only
     * @throws IllegalArgumentException if no tensor has that name
     */
    public INDArray mask(String name) {
        return pruner.mask(name);
    }

    /** @return the plan the next round's tasks will carry (masks as shipped) */
    public RoundPlan nextRoundPlan() {
        return executors.plan();
    }

    /** @return the driver's network (a {@code MultiLayerNetwork} or {@code ComputationGraph}) */
    public Model network() {
        return network.model();
    }

}
