package org.rpg4j.dl4j.structured.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.dl4j.activations.ActivationCollector;
import org.rpg4j.dl4j.activations.ActivationStatistics;
import org.rpg4j.dl4j.activations.PatchReservoir;
import org.rpg4j.dl4j.graph.ChannelDependencies;
import org.rpg4j.dl4j.graph.NetworkGraph;
import org.rpg4j.dl4j.structured.RankingScope;
import org.rpg4j.dl4j.structured.StructuredConfig;
import org.rpg4j.dl4j.structured.StructuredPruning;
import org.rpg4j.dl4j.structured.StructuredResult;
import org.rpg4j.structured.ChannelGroup;
import org.rpg4j.structured.ChannelLasso;
import org.rpg4j.structured.ChannelReconstruction;
import org.rpg4j.structured.ChannelSlice;
import org.rpg4j.structured.KeepSelection;
import org.rpg4j.structured.SliceRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Channel Pruning (He, Zhang and Sun, ICCV 2017), layer by layer: for each group whose channels feed
 * exactly one plain convolution (or one dense or output layer, after a flatten a convolution whose kernel
 * covers the whole map; its sampled rows are whole images), LASSO ({@link ChannelLasso}) chooses the input channels of that
 * convolution that best reconstruct its output on sampled input patches, and least squares
 * ({@link ChannelReconstruction#refit}) refits the convolution's weights on the kept channels (its
 * bias takes the fitted intercept). The removed channels' producers shrink with them. When the sample
 * has fewer than twice as many rows as a refit has unknowns per output (a dense consumer samples one
 * row per image), the layer is not refitted: its kept weights stay and its bias takes the removed
 * channels' mean contribution ({@link ChannelReconstruction#keepWeights}), logged at INFO.
 *
 * <p>Residual blocks, as the paper treats them: a group read by several layers (the channels of a
 * residual stream, read by the next block's first convolution and by the shortcut) or by a layer
 * other than a plain convolution, dense or output layer is left whole and listed in
 * {@link DataDrivenResult#unscored()}; the inner channels of each block are pruned. Differences from
 * the paper: one statistics pass on the unpruned network (the paper samples each layer's input from
 * the already-pruned network); the sampled rows are output positions of whole batches (the paper
 * samples 10 positions per image).
 */
public final class ChannelPruning {
    /** Name of the criterion. */
    public static final String NAME = "channel-pruning";
    private static final Logger LOG = LoggerFactory.getLogger(ChannelPruning.class);

    private ChannelPruning() {}

    /**
     * @param net an initialised network with one input; not modified
     * @param config channel sparsity (per group, {@code RankingScope.PER_GROUP} only), exclusions,
     *     per-layer rates, input shape ({@code criterion} is ignored)
     * @param data batches to sample patches from
     * @param batches batches to read at most, {@code >= 1}
     * @param samples patch rows kept per convolution, {@code >= 1} (memory: {@code 4 * samples * C * kh * kw} bytes each)
     * @param seed seed of the sampling
     * @return the smaller network with refitted convolutions, the statistics, and the groups left whole
     * @throws IllegalArgumentException if an argument is null or invalid, the scope is global, or the
     *     configuration names an unknown layer
     * @throws IllegalStateException if the network is not initialised
     */
    public static DataDrivenResult prune(Model net, StructuredConfig config, DataSetIterator data, int batches,
                                         int samples, long seed) {
        if (config == null || data == null) {
            throw new IllegalArgumentException("config and data must not be null, got " + config + ", " + data);
        }
        if (config.scope() != RankingScope.PER_GROUP) {
            throw new IllegalArgumentException("channel pruning chooses channels layer by layer: scope must be "
                    + RankingScope.PER_GROUP + ", got " + config.scope());
        }
        ChannelDependencies deps = ChannelDependencies.analyse(net);
        StructuredPruning.requireKnownLayers(deps.graph(), config);
        List<String> unscored = new ArrayList<>();
        Map<Integer, ConsumerCheck> consumers = consumers(deps, config, unscored);
        ActivationStatistics stats = ActivationCollector.builder(batches).seed(seed)
                .patches(samples, consumers.values().stream().map(ConsumerCheck::layer).toArray(String[]::new))
                .build().collect(net, data);
        KeepSelection selection = KeepSelection.keepAll(deps.groups());
        Map<ConsumerCheck, ChannelReconstruction.Refit> refits = new LinkedHashMap<>();
        for (Map.Entry<Integer, ConsumerCheck> e : consumers.entrySet()) {
            ChannelGroup g = deps.groups().get(e.getKey());
            String layer = e.getValue().layer();
            INDArray patches = stats.patches().get(layer).sample();
            INDArray weights = e.getValue().asConvolution(deps.graph().node(layer).params().get("W"));
            int keep = g.size() - Math.min((int) Math.floor(StructuredPruning.sparsityOf(g, config) * g.size()),
                    g.size() - 1);
            boolean[] kept = ChannelLasso.select(ChannelReconstruction.channelGram(patches, weights), keep).keep();
            boolean determined = ChannelReconstruction.determined(patches.rows(), kept,
                    (int) (weights.size(2) * weights.size(3)));
            ChannelReconstruction.Refit refit = determined ? ChannelReconstruction.refit(patches, weights, kept)
                    : ChannelReconstruction.keepWeights(patches, weights, kept);
            if (!determined) {
                LOG.info("rpg4j channel pruning: {} has {} sampled rows for {} unknowns per output: selection only, "
                        + "no refit (sample more batches to refit)", layer, patches.rows(),
                        KeepSelection.count(kept) * weights.size(2) * weights.size(3) + 1);
            }
            LOG.debug("rpg4j channel pruning: {} keeps {} of {} input channels", layer, keep, g.size());
            selection = selection.with(g.id(), kept);
            refits.put(e.getValue(), refit);
        }
        StructuredResult result = StructuredPruning.shrink(deps, selection, config.inputShape());
        install(result.network(), deps, selection, refits);
        LOG.info("rpg4j channel pruning: {} convolutions refitted, {} groups left whole", refits.size(),
                unscored.size());
        return new DataDrivenResult(result, stats, unscored);
    }

    /** Per prunable group with a non-zero sparsity, its single consumer that can be refitted. */
    private static Map<Integer, ConsumerCheck> consumers(ChannelDependencies deps, StructuredConfig config,
                                                         List<String> unscored) {
        Map<Integer, ConsumerCheck> out = new LinkedHashMap<>();
        for (ChannelGroup g : deps.prunableGroups()) {
            if (StructuredPruning.sparsityOf(g, config) == 0) {
                continue;
            }
            StringBuilder reason = new StringBuilder();
            Optional<ConsumerCheck> consumer = ConsumerCheck.of(deps, g, reason);
            if (consumer.isPresent()) {
                out.put(g.id(), consumer.get());
            } else {
                unscored.add(g.name() + " (" + g.size() + " channels): " + reason);
            }
        }
        return out;
    }

    /**
     * Writes the refitted weights into the shrunk network and shifts the biases by the fitted
     * intercepts; a consumer whose own outputs were pruned too gets the rows of its kept outputs (each
     * output's least squares is independent of the others).
     */
    private static void install(Model shrunk, ChannelDependencies deps, KeepSelection selection,
                                Map<ConsumerCheck, ChannelReconstruction.Refit> refits) {
        NetworkGraph graph = NetworkGraph.of(shrunk);
        refits.forEach((consumer, refit) -> {
            String layer = consumer.layer();
            INDArray all = refit.weights();
            int[] outputs = keptOutputs(deps, selection, layer, (int) all.size(0));
            INDArray rows = all.reshape('c', all.size(0), all.length() / all.size(0)).getRows(outputs);
            INDArray kept = rows.reshape('c', outputs.length, all.size(1), all.size(2), all.size(3));
            Map<String, INDArray> params = graph.node(layer).params();
            params.get("W").assign(consumer.fromConvolution(kept));
            INDArray bias = params.get("b");
            if (bias != null) {
                double[] original = deps.graph().node(layer).params().get("b").toDoubleVector();
                double[] shift = refit.biasShift().toDoubleVector();
                double[] shifted = new double[outputs.length];
                for (int i = 0; i < outputs.length; i++) {
                    shifted[i] = original[outputs[i]] + shift[outputs[i]];
                }
                bias.assign(Nd4j.createFromArray(shifted).castTo(bias.dataType()).reshape(bias.shape()));
            }
        });
    }

    /** The layer's output channels ({@code W}'s producer axis) that the selection keeps, ascending. */
    private static int[] keptOutputs(ChannelDependencies deps, KeepSelection selection, String layer, int outputs) {
        boolean[] keep = new boolean[outputs];
        Arrays.fill(keep, true);
        for (ChannelGroup g : deps.groups()) {
            boolean[] groupKeep = selection.keep(g);
            for (ChannelSlice s : g.slices(SliceRole.PRODUCER)) {
                if (!s.layer().equals(layer) || !s.param().equals("W")) {
                    continue;
                }
                for (int i = 0; i < s.blocks(); i++) {
                    for (int k = 0; k < s.blockSize(); k++) {
                        keep[s.offset() + i * s.blockSize() + k] &= groupKeep[s.channelAt(i)];
                    }
                }
            }
        }
        return IntStream.range(0, outputs).filter(o -> keep[o]).toArray();
    }
}
