package org.rpg4j.examples.structured;

import java.util.Optional;
import java.util.function.DoubleFunction;
import org.rpg4j.dl4j.structured.GroupLasso;
import org.rpg4j.dl4j.structured.NetworkSlimming;
import org.rpg4j.dl4j.structured.RankingScope;
import org.rpg4j.dl4j.structured.TrainingHook;
import org.rpg4j.dl4j.structured.data.ChannelPruning;
import org.rpg4j.dl4j.structured.data.DropNet;
import org.rpg4j.dl4j.structured.data.HRank;
import org.rpg4j.examples.train.Method;
import org.rpg4j.structured.FilterL2Norm;
import org.rpg4j.structured.FilterNorm;

/**
 * What a structured {@link Method} does: the channel criterion it ranks with (a name
 * {@code org.rpg4j.dl4j.structured.Criteria} knows), its default ranking scope, which channel groups it
 * can score, the penalty it applies during training, if any, and for the data-driven methods the
 * factory of their channel removal. Adding a structured method to the examples is one {@link Method}
 * constant and one case in {@link #of}.
 *
 * @param criterion the criterion name in {@code StructuredConfig}
 * @param defaultScope the scope used when {@code --channel-scope} is not given
 * @param scoredOn which groups the criterion can score (the others are left whole)
 * @param defaultPenalty the penalty weight lambda used when {@code --penalty} is not given (0 when
 *     the method has no penalty)
 * @param penaltyHook makes the training hook from the step {@code lr * lambda}; null when the method
 *     has no penalty
 * @param dataDriven makes the channel removal of a data-driven method (its criterion is then not one
 *     {@code StructuredConfig} knows); null for the weight criteria, which {@code StructuredPruning}
 *     or a gradual schedule removes
 */
public record StructuredMethod(String criterion, RankingScope defaultScope, ScoredOn scoredOn, double defaultPenalty,
                               DoubleFunction<TrainingHook> penaltyHook, DataDrivenRemoval.Factory dataDriven) {
    /** Default lambda of Network Slimming: Liu et al.'s CIFAR value. */
    public static final double SLIMMING_LAMBDA = 1e-4;
    /** Default lambda of SSL's group lasso. */
    public static final double SSL_LAMBDA = 1e-4;

    /** Which channel groups a criterion can score. */
    public enum ScoredOn {
        /** Every unlocked group (criteria on filter weights). */
        WEIGHTS,
        /** Only groups with a batch-norm scale; groups without one are left whole. */
        BATCH_NORM_SCALE,
        /**
         * Groups the method can observe or reconstruct on data; the others are left whole and listed in
         * results.json ({@code dataDriven.unscored}).
         */
        DATA
    }

    /**
     * @param method a structured method
     * @return what it does
     * @throws IllegalArgumentException if the method is not structured
     */
    public static StructuredMethod of(Method method) {
        return switch (method) {
            case L1_FILTER -> new StructuredMethod(FilterNorm.NAME, RankingScope.PER_GROUP, ScoredOn.WEIGHTS, 0, null,
                    null);
            case L2_FILTER -> new StructuredMethod(FilterL2Norm.NAME, RankingScope.PER_GROUP, ScoredOn.WEIGHTS, 0,
                    null, null);
            case SLIMMING -> new StructuredMethod(NetworkSlimming.NAME, RankingScope.GLOBAL, ScoredOn.BATCH_NORM_SCALE,
                    SLIMMING_LAMBDA, NetworkSlimming::new, null);
            case SSL -> new StructuredMethod(GroupLasso.NAME, RankingScope.PER_GROUP, ScoredOn.WEIGHTS, SSL_LAMBDA,
                    GroupLasso::new, null);
            case HRANK -> new StructuredMethod(HRank.NAME, RankingScope.PER_GROUP, ScoredOn.DATA, 0, null,
                    DataDrivenRemoval::hrank);
            case DROPNET -> new StructuredMethod(DropNet.NAME, RankingScope.PER_GROUP, ScoredOn.DATA, 0, null,
                    DataDrivenRemoval::dropNet);
            case CHANNEL_PRUNING -> new StructuredMethod(ChannelPruning.NAME, RankingScope.PER_GROUP, ScoredOn.DATA, 0,
                    null, DataDrivenRemoval::channelPruning);
            default -> throw new IllegalArgumentException("method " + method + " is not a structured method");
        };
    }

    /**
     * @param step {@code learning rate * lambda} per iteration, {@code >= 0}
     * @return the training hook that applies the penalty; empty for methods without one
     */
    public Optional<TrainingHook> hook(double step) {
        return penaltyHook == null ? Optional.empty() : Optional.of(penaltyHook.apply(step));
    }

    /**
     * @param setting what the run provides
     * @return the data-driven method's channel removal, attached; empty for the weight criteria
     * @throws IllegalArgumentException naming an option that does not fit the run
     */
    public Optional<DataDrivenRemoval> attachDataDriven(DataDrivenRemoval.Setting setting) {
        return dataDriven == null ? Optional.empty() : Optional.of(dataDriven.attach(setting));
    }

    /** @return whether the method applies a penalty during training ({@code --penalty} applies) */
    public boolean hasPenalty() {
        return penaltyHook != null;
    }
}
