package org.rpg4j.dl4j.structured;

import org.rpg4j.structured.ChannelCriterion;
import org.rpg4j.structured.FilterL2Norm;
import org.rpg4j.structured.FilterNorm;

/**
 * The channel criteria a {@link StructuredConfig} can name. To add one, implement
 * {@link ChannelCriterion} (in rpg-core if it needs no DL4J) and add its name here.
 */
public final class Criteria {
    private Criteria() {}

    /**
     * @param name a criterion name
     * @return a new instance of that criterion
     * @throws IllegalArgumentException if no criterion has that name
     */
    public static ChannelCriterion byName(String name) {
        if (FilterNorm.NAME.equals(name)) {
            return new FilterNorm();
        }
        if (FilterL2Norm.NAME.equals(name)) {
            return new FilterL2Norm();
        }
        if (GroupLasso.NAME.equals(name)) {
            return new GroupLasso();
        }
        if (NetworkSlimming.NAME.equals(name)) {
            return new NetworkSlimming();
        }
        throw new IllegalArgumentException("criterion must be one of [" + FilterNorm.NAME + ", "
                + FilterL2Norm.NAME + ", " + NetworkSlimming.NAME + ", " + GroupLasso.NAME + "], got '" + name + "'");
    }
}
