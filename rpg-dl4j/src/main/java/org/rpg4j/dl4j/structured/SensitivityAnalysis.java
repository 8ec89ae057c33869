package org.rpg4j.dl4j.structured;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.rpg4j.dl4j.graph.ChannelDependencies;
import org.rpg4j.structured.ChannelCriterion;
import org.rpg4j.structured.ChannelGroup;
import org.rpg4j.structured.ChannelSelection;
import org.rpg4j.structured.KeepSelection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-layer pruning sensitivity (Li et al., "Pruning Filters for Efficient ConvNets", ICLR 2017,
 * section 3.2 and figure 2(b)): each unlocked channel group is pruned alone at every ratio of a
 * ladder, keeping the channels the criterion scores highest, and the network's loss and accuracy are
 * measured on a fixed set of evaluation batches; the weights are restored after each point.
 *
 * <p>"Pruned" here means masked in place, as during gradual structured pruning: the removed
 * channels' filters, biases and batch-norm scale and shift are set to 0, so a channel followed by
 * batch norm outputs exactly 0 before its activation. That is what the smaller network computes after
 * shrinking (which folds the activation's constant into the next bias), so the numbers are those of
 * {@link StructuredPruning#prune} with only that layer pruned.
 *
 * <pre>{@code
 * SensitivityTable t = SensitivityAnalysis.run(net, SensitivityConfig.builder(20).build(), testData);
 * Files.writeString(Path.of("sensitivity.csv"), t.toCsv());
 * }</pre>
 *
 * <p>The network's parameters are modified during the run and restored exactly (bit for bit) before
 * it returns, also when it throws; do not use the network from another thread meanwhile. Cost: one
 * evaluation of {@code maxBatches} batches per (group, ratio) plus the baseline.
 */
public final class SensitivityAnalysis {
    private static final Logger LOG = LoggerFactory.getLogger(SensitivityAnalysis.class);

    private SensitivityAnalysis() {}

    /**
     * @param net an initialised {@code MultiLayerNetwork} or single-output {@code ComputationGraph} whose
     *     labels are one-hot classes; its parameters are restored before returning
     * @param config ratios, criterion, batches, groups
     * @param data evaluation data; reset first if it supports reset, then read for at most
     *     {@code config.maxBatches()} batches
     * @return the baseline and one point per (unlocked group, ratio)
     * @throws IllegalArgumentException if an argument is null, the network is of another type or has
     *     several outputs, {@code config.layers()} names a layer that is not in the network or produces
     *     only locked groups, or the data yields no example or labels that are not one-hot classes
     * @throws IllegalStateException if the network is not initialised
     */
    public static SensitivityTable run(Model net, SensitivityConfig config, DataSetIterator data) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        ChannelDependencies deps = ChannelDependencies.analyse(net);
        if (net instanceof ComputationGraph g && g.getNumOutputArrays() != 1) {
            throw new IllegalArgumentException("sensitivity analysis needs a single-output network, this graph has "
                    + g.getNumOutputArrays() + " outputs");
        }
        List<ChannelGroup> groups = groupsToAnalyse(deps, config);
        EvaluationBatches batches = EvaluationBatches.read(data, config.maxBatches());
        ChannelCriterion criterion = Criteria.byName(config.criterion());
        INDArray saved = net.params().dup();
        try {
            double[] base = batches.evaluate(net);
            LOG.info("rpg4j sensitivity: {} groups x {} ratios on {} examples; baseline loss {} accuracy {}",
                    groups.size(), config.ratios().length, batches.examples(), base[0], base[1]);
            List<SensitivityPoint> points = new ArrayList<>();
            for (ChannelGroup g : groups) {
                points.addAll(analyseGroup(net, deps, g, criterion, config.ratios(), batches, saved));
            }
            return new SensitivityTable(base[0], base[1], batches.examples(), points);
        } finally {
            net.params().assign(saved);
        }
    }

    private static List<ChannelGroup> groupsToAnalyse(ChannelDependencies deps, SensitivityConfig config) {
        for (String l : config.layers()) {
            if (!deps.graph().has(l)) {
                throw new IllegalArgumentException("layers names '" + l + "', which is not in the network");
            }
            if (deps.groups().stream().noneMatch(g -> !g.locked() && g.producers().contains(l))) {
                throw new IllegalArgumentException("layers names '" + l + "', which produces no prunable channel "
                        + "group (its outputs are locked or it has none)");
            }
        }
        return deps.groups().stream().filter(g -> !g.locked())
                .filter(g -> config.layers().isEmpty() || g.producers().stream().anyMatch(config.layers()::contains))
                .toList();
    }

    private static List<SensitivityPoint> analyseGroup(Model net, ChannelDependencies deps, ChannelGroup group,
                                                       ChannelCriterion criterion, double[] ratios,
                                                       EvaluationBatches batches, INDArray saved) {
        long start = System.nanoTime();
        List<SensitivityPoint> points = new ArrayList<>();
        for (double ratio : ratios) {
            KeepSelection keep = ChannelSelection.perGroup(List.of(group), criterion,
                    StructuredPruning.tensors(deps.graph()), g -> ratio);
            int removed = group.size() - KeepSelection.count(keep.keep(group));
            ChannelMasking.zeroRemoved(deps, keep);
            double[] r = batches.evaluate(net);
            net.params().assign(saved);
            points.add(new SensitivityPoint(group.name(), group.id(), group.size(), ratio, removed, r[0], r[1]));
            LOG.debug("sensitivity {} ratio {}: {} of {} channels removed, loss {}, accuracy {}", group.name(), ratio,
                    removed, group.size(), r[0], r[1]);
        }
        LOG.info("rpg4j sensitivity: {} ({} channels) done in {} ms", group.name(), group.size(),
                (System.nanoTime() - start) / 1_000_000);
        return points;
    }
}
