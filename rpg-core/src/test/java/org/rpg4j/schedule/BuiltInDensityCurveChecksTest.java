package org.rpg4j.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Runs the {@link DensityCurveChecks} contract against every {@link ScheduleKind}. */
class BuiltInDensityCurveChecksTest {
    @Test
    void everyKindHasANestedContractRun() {
        long nested = Arrays.stream(BuiltInDensityCurveChecksTest.class.getDeclaredClasses())
                .filter(c -> c.isAnnotationPresent(Nested.class)).count();
        assertEquals(ScheduleKind.values().length, nested, "add a @Nested class for the new ScheduleKind constant");
    }

    @Nested
    class Exponential extends DensityCurveChecks {
        @Override
        protected DensityCurve curve() {
            return ScheduleKind.EXPONENTIAL;
        }
    }

    @Nested
    class Cubic extends DensityCurveChecks {
        @Override
        protected DensityCurve curve() {
            return ScheduleKind.CUBIC;
        }
    }

    @Nested
    class Linear extends DensityCurveChecks {
        @Override
        protected DensityCurve curve() {
            return ScheduleKind.LINEAR;
        }
    }

    @Nested
    class Constant extends DensityCurveChecks {
        @Override
        protected DensityCurve curve() {
            return ScheduleKind.CONSTANT;
        }
    }

    @Nested
    class OneShot extends DensityCurveChecks {
        @Override
        protected DensityCurve curve() {
            return ScheduleKind.ONE_SHOT;
        }
    }
}
