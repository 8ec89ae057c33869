package org.rpg4j.spark;

import java.util.Locale;

import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.RankLoss;

/**
 * The documented example (docs/distributed.md, "Spark") and the throughput measurement: trains the
 * test CNN (1x8x8 synthetic images, 3 classes, batch 8 per worker, averaging every 2 minibatches)
 * under {@code ParameterAveragingTrainingMaster} on Spark local[1] and local[2], dense and with
 * rpg4j attached (target sparsity 0.8), interleaved, and prints images/s and rpg4j's driver time
 * per round.
 *
 * Run it with {@code rpg-spark/measure.sh [rounds] [repetitions]} (builds the test classpath and
 * passes Spark's {@code --add-opens} list on Java 17).
 * Arguments: timed rounds per variant (default 30), repetitions (default 2). Each variant first
 * trains 5 untimed rounds.
 */
public final class SparkPruningExample {
    private static final int WARMUP_ROUNDS = 5;

    private SparkPruningExample() {}

    /**
     * @param args timed rounds per variant, repetitions
     */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        for (int rep = 0; rep < reps; rep++) {
            for (int workers = 1; workers <= 2; workers++) {
                JavaSparkContext sc = SparkNets.context("local[" + workers + "]");
                try {
                    run(sc, workers, false, rounds, rep);
                    run(sc, workers, true, rounds, rep);
                } finally {
                    sc.stop();
                }
            }
        }
    }

    private static void run(JavaSparkContext sc, int workers, boolean prune, int rounds, int rep) {
        int total = WARMUP_ROUNDS + rounds;
        SparkDl4jMultiLayer net = new SparkDl4jMultiLayer(sc, SparkNets.cnn(rep),
                SparkNets.masterBuilder(rep, workers).build());
        SparkPruning pruning = prune ? SparkPruning.attach(net, PruningConfig.builder(0.8, total * SparkNets.AVERAGING)
                .rankLoss(RankLoss.none()).deltaT(SparkNets.AVERAGING).seed(rep).build()) : null;
        long start = 0;
        double driverMillis = 0;
        int updates = 0;
        for (int r = 0; r < total; r++) {
            if (r == WARMUP_ROUNDS) {
                start = System.nanoTime();
            }
            if (pruning == null) {
                net.fit(SparkNets.roundRdd(sc, rep, r, workers));
            } else {
                RoundResult result = pruning.fitRound(SparkNets.roundRdd(sc, rep, r, workers));
                if (r >= WARMUP_ROUNDS) {
                    driverMillis += result.driverMillis();
                    updates += result.update().isPresent() ? 1 : 0;
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long images = (long) rounds * workers * SparkNets.AVERAGING * SparkNets.BATCH;
        System.out.printf(Locale.ROOT, "rep %d local[%d] %-6s %8.1f images/s  %6.2f s/round  rpg4j driver %.1f ms/round"
                + " (%d topology updates)  sparsity %.3f%n", rep, workers, prune ? "rpg4j" : "dense", images / seconds,
                seconds / rounds, driverMillis / rounds, updates, pruning == null ? 0.0 : pruning.sparsity());
    }
}
