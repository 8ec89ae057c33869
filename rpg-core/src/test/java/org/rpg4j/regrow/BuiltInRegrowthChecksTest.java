package org.rpg4j.regrow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Runs the {@link RegrowthChecks} contract against every {@link RegrowthKind}. */
class BuiltInRegrowthChecksTest {
    @Test
    void everyKindHasANestedContractRun() {
        long nested = Arrays.stream(BuiltInRegrowthChecksTest.class.getDeclaredClasses())
                .filter(c -> c.isAnnotationPresent(Nested.class)).count();
        assertEquals(RegrowthKind.values().length, nested, "add a @Nested class for the new RegrowthKind constant");
    }

    @Nested
    class Gradient extends RegrowthChecks {
        @Override
        protected Regrowth regrowth() {
            return RegrowthKind.GRADIENT.regrowth();
        }
    }

    @Nested
    class Random extends RegrowthChecks {
        @Override
        protected Regrowth regrowth() {
            return RegrowthKind.RANDOM.regrowth();
        }
    }

    @Nested
    class None extends RegrowthChecks {
        @Override
        protected Regrowth regrowth() {
            return RegrowthKind.NONE.regrowth();
        }
    }
}
