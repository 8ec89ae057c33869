package org.rpg4j.dl4j.layers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.rpg4j.dl4j.layers.onednn.OneDnn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Advice on the instruction set oneDNN may use for training. On a CPU with AVX-512, the oneDNN 2.3 inside
 * libnd4j 1.0.0-M2.1 chooses Winograd kernels ({@code jit_wino_4x3:avx512_core}) for the convolution
 * backward passes of wide 3x3 layers; measured on a 2-core AMD EPYC with AVX-512, they took 2.6x (input
 * gradient) and 2.0x (weight gradient) the time of the AVX2 kernels oneDNN uses when limited to AVX2, and
 * VGG-19 trained 1.57x faster with the limit, while ResNet-20 and ResNet-32x2 (16-128 channels, where the
 * AVX-512 forward kernels win) trained 0.9x and 0.8x as fast with it (docs/performance.md, "oneDNN
 * instruction set"). oneDNN reads the limit only from the environment variable {@code DNNL_MAX_CPU_ISA} (or
 * {@code ONEDNN_MAX_CPU_ISA}) of the process, and libnd4j exports no function to set it, so the advice is
 * logged, once per JVM, for the user to measure and act on. It is not logged when the fast convolution layer
 * calls oneDNN directly ({@link OneDnn#available()}, mode {@code auto}): its primitives use the direct algorithm,
 * never Winograd, and the limit then made VGG-19 training about 2x slower (docs/performance.md, "Direct oneDNN
 * convolutions").
 */
final class OneDnnInstructionSet {

    /** Environment variables through which oneDNN takes its instruction-set limit. */
    static final String[] LIMIT_VARIABLES = {"DNNL_MAX_CPU_ISA", "ONEDNN_MAX_CPU_ISA"};

    private static final Logger LOG = LoggerFactory.getLogger(OneDnnInstructionSet.class);
    private static final AtomicBoolean ADVISED = new AtomicBoolean();
    private static final Path CPU_INFO = Path.of("/proc/cpuinfo");

    private OneDnnInstructionSet() {
    }

    /**
     * The advice for a machine, if it needs one.
     *
     * @param cpuFlags the CPU's feature flags, e.g. the {@code flags} line of {@code /proc/cpuinfo}
     * @param environment the process environment
     * @return the message to log: present if the flags include {@code avx512f} and no limit variable is set
     */
    static Optional<String> advice(String cpuFlags, Map<String, String> environment) {
        boolean avx512 = Stream.of(cpuFlags.split("\\s+")).anyMatch("avx512f"::equals);
        boolean limited = Stream.of(LIMIT_VARIABLES).anyMatch(environment::containsKey);
        if (!avx512 || limited) {
            return Optional.empty();
        }
        return Optional.of("This CPU has AVX-512: libnd4j's oneDNN then trains wide 3x3 convolutions with Winograd "
                + "backward kernels, measured 2-2.6x slower than its AVX2 kernels. Starting the JVM with the environment "
                + "variable DNNL_MAX_CPU_ISA=AVX2 made VGG-19 training 1.57x faster but ResNet-20/32 (16-128 channels) "
                + "0.8-0.9x as fast: measure your network both ways (docs/performance.md, \"oneDNN instruction set\").");
    }

    /**
     * Logs the advice at INFO once per JVM if this machine needs it, libnd4j has oneDNN and the convolutions run
     * libnd4j's ops (no direct oneDNN path).
     */
    static void adviseOnce() {
        if (ADVISED.getAndSet(true) || !Files.isReadable(CPU_INFO) || !FastLayers.hasOneDnn()
                || OneDnn.mode() == OneDnn.Mode.AUTO && OneDnn.available()) {
            return;
        }
        try (Stream<String> lines = Files.lines(CPU_INFO)) {
            String flags = lines.filter(line -> line.startsWith("flags")).findFirst().orElse("");
            advice(flags, System.getenv()).ifPresent(LOG::info);
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("cannot read {}: no advice on oneDNN's instruction set", CPU_INFO, e);
        }
    }
}
