package org.rpg4j.dl4j.layers;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OneDnnInstructionSetTest {

    private static final String ZEN4_FLAGS = "flags : fpu sse2 avx avx2 fma avx512f avx512dq avx512bw avx512vl";
    private static final String AVX2_FLAGS = "flags : fpu sse2 avx avx2 fma";

    @Test
    void avx512WithoutLimitGetsAdviceNamingTheVariable() {
        String advice = OneDnnInstructionSet.advice(ZEN4_FLAGS, Map.of("PATH", "/usr/bin")).orElseThrow();
        assertTrue(advice.contains("DNNL_MAX_CPU_ISA=AVX2"), advice);
    }

    @Test
    void avx2OnlyGetsNoAdvice() {
        assertFalse(OneDnnInstructionSet.advice(AVX2_FLAGS, Map.of()).isPresent());
    }

    @Test
    void aSetLimitGetsNoAdviceWhateverItsValue() {
        for (String variable : OneDnnInstructionSet.LIMIT_VARIABLES) {
            assertFalse(OneDnnInstructionSet.advice(ZEN4_FLAGS, Map.of(variable, "AVX512_CORE")).isPresent(),
                    variable);
        }
    }

    @Test
    void aFlagThatOnlyStartsWithAvx512fIsNotAvx512() {
        // avx512fp16 alone (no avx512f) never occurs on real CPUs, but the match must be on whole words
        assertFalse(OneDnnInstructionSet.advice("flags : avx2 avx512fp16", Map.of()).isPresent());
    }
}
