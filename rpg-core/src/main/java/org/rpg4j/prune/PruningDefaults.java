package org.rpg4j.prune;

import org.rpg4j.mask.LayerBudget;
import org.rpg4j.regrow.RegrowthKind;
import org.rpg4j.schedule.ScheduleKind;
import org.rpg4j.schedule.UpdatePlacement;

/**
 * The one declaration of every default of {@link PruningConfig.Builder} and {@link RankLoss}: the
 * reference recipe (Tian et al., NeurIPS 2023, ImageNet 90 % and CIFAR). Front ends (the examples'
 * command line) take their defaults from here instead of repeating them.
 */
public final class PruningDefaults {
    /** Iterations between topology updates. */
    public static final int DELTA_T = 100;
    /** Fraction of training at which the density ramp ends. */
    public static final double RAMP_END_FRACTION = 0.9;
    /** Fraction of training after which topology updates stop ({@code tEnd}). */
    public static final double UPDATE_END_FRACTION = 0.901;
    /** Shape of the density ramp. */
    public static final ScheduleKind SCHEDULE = ScheduleKind.EXPONENTIAL;
    /** Placement of the updates on the ramp. */
    public static final UpdatePlacement UPDATE_PLACEMENT = UpdatePlacement.REACHING_TARGET;
    /** How the global density is shared between layers. */
    public static final LayerBudget BUDGET = LayerBudget.GLOBAL;
    /** How dropped connections are regrown. */
    public static final RegrowthKind REGROWTH = RegrowthKind.GRADIENT;
    /** Initial drop fraction of the cosine decay. */
    public static final double ALPHA = 0.3;
    /** Weight of the adversarial rank loss. */
    public static final double LAMBDA = 0.5;
    /** Tail-energy fraction the rank loss's best rank-k approximation discards. */
    public static final double PARTIAL_K = 0.1;
    /** Which tensors get the rank loss. */
    public static final RankLayers RANK_LAYERS = RankLayers.CONVOLUTIONS;
    /** Rank loss as regrowth score only, or also as a regulariser. */
    public static final RankLossMode RANK_LOSS_MODE = RankLossMode.REFERENCE;
    /** In regulariser mode, iterations between rank-gradient additions. */
    public static final int RANK_EVERY = 1;
    /** A layer joins the rank loss once its zero fraction reaches this. */
    public static final double MIN_LAYER_SPARSITY = 0.0;
    /** What to do with layers the adapter cannot prune. */
    public static final UnsupportedLayerPolicy UNSUPPORTED_LAYERS = UnsupportedLayerPolicy.LENIENT;
    /** Seed of every random choice. */
    public static final long SEED = 42;

    private PruningDefaults() {}
}
