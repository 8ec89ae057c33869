package org.rpg4j.dl4j.deploy.runner;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calling thread's OpenMP thread count in libnd4j (ND4J's CPU backend), through its exported
 * {@code omp_set_num_threads}/{@code omp_get_max_threads}. With GNU libgomp (what libnd4j 1.0.0-M2.1 links)
 * the count is per thread: a thread that sets 1 runs its native ops, oneDNN's convolutions included, without
 * waking libgomp's worker threads, while other threads keep theirs. The runner uses this for
 * {@link NativeThreading#JAVA_THREADS}. On another backend (or without the class) the calls do nothing.
 */
final class OpenMpThreads {

    private static final Logger LOG = LoggerFactory.getLogger(OpenMpThreads.class);
    private static final AtomicBoolean ADVISED = new AtomicBoolean();
    private static final Object OPS;
    private static final Method SET;
    private static final Method GET;

    static {
        Object ops = null;
        Method set = null;
        Method get = null;
        try {
            Class<?> holder = Class.forName("org.nd4j.nativeblas.NativeOpsHolder");
            Object instance = holder.getMethod("getInstance").invoke(null);
            Object candidate = holder.getMethod("getDeviceNativeOps").invoke(instance);
            // only the CPU backend's libgomp has per-thread counts; the CUDA backend's setter means grid limits
            if (candidate != null && candidate.getClass().getSimpleName().equals("Nd4jCpu")) {
                set = candidate.getClass().getMethod("setOmpNumThreads", int.class);
                get = candidate.getClass().getMethod("ompGetMaxThreads");
                ops = candidate;
            }
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.debug("no libnd4j OpenMP control: native ops keep their own threads", e);
        }
        OPS = ops;
        SET = set;
        GET = get;
    }

    private OpenMpThreads() {
    }

    /** @return true if the backend's OpenMP thread count can be set per thread */
    static boolean available() {
        return OPS != null;
    }

    /** @return the calling thread's OpenMP thread count, 0 if not {@link #available()} */
    static int current() {
        return OPS == null ? 0 : (int) call(GET);
    }

    /**
     * Sets the calling thread's OpenMP thread count.
     *
     * @param threads the count, &ge; 1
     * @return the count before, to hand to {@link #restore}; 0 if not {@link #available()}
     */
    static int limit(int threads) {
        if (OPS == null) {
            return 0;
        }
        int previous = (int) call(GET);
        if (previous != threads) {
            call(SET, threads);
        }
        return previous;
    }

    /** @param previous what {@link #limit} returned on this thread (0: nothing to restore) */
    static void restore(int previous) {
        if (OPS != null && previous > 0 && (int) call(GET) != previous) {
            call(SET, previous);
        }
    }

    /**
     * The advice for a runner whose native ops use OpenMP's threads, if the environment needs it.
     *
     * @param environment the process environment
     * @return the message: present unless {@code OMP_WAIT_POLICY} is {@code PASSIVE} or {@code GOMP_SPINCOUNT}
     *     is set
     */
    static Optional<String> advice(Map<String, String> environment) {
        String policy = environment.getOrDefault("OMP_WAIT_POLICY", "").trim().toUpperCase(Locale.ROOT);
        if (policy.equals("PASSIVE") || environment.containsKey("GOMP_SPINCOUNT")) {
            return Optional.empty();
        }
        return Optional.of("SparseRunner with NativeThreading.OPENMP: libnd4j's OpenMP worker threads spin on a core"
                + " after each native op (OMP_WAIT_POLICY " + (policy.isEmpty() ? "unset" : policy) + ") while the"
                + " runner's Java kernels need both cores; on 2 cores this made the RPG-pruned ResNet-56 at batch 32 1.6x"
                + " slower (docs/deployment.md). Use NativeThreading.JAVA_THREADS (the default), or start the JVM with"
                + " OMP_WAIT_POLICY=PASSIVE.");
    }

    /** Logs {@link #advice} at INFO once per JVM when it applies and the backend has libgomp's threads. */
    static void adviseOnce() {
        if (OPS != null && !ADVISED.getAndSet(true)) {
            advice(System.getenv()).ifPresent(LOG::info);
        }
    }

    private static Object call(Method method, Object... arguments) {
        try {
            return method.invoke(OPS, arguments);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call libnd4j's " + method.getName(), e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("libnd4j's " + method.getName() + " failed", e.getCause());
        }
    }
}
