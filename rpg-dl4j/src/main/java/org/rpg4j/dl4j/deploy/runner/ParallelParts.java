package org.rpg4j.dl4j.deploy.runner;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * Runs the parts of one call that take their work from a shared counter ({@link ImageSplitRunner}'s blocks,
 * {@link InterleavedRunner}'s groups): part 0 on the caller, the others as tasks of the common pool. A task that has
 * not started when the caller's part returns finds its claim taken and returns at once (the caller's part has taken
 * all the work left), so a busy pool never holds the call; a started task is waited for, so no call overlaps the
 * next one on the parts' shared arrays, also when a part throws.
 */
final class ParallelParts {

    private ParallelParts() {
    }

    /**
     * @param parts parts, &ge; 1
     * @param part runs part {@code p} (in [0, parts)) until the shared work is taken
     * @throws RuntimeException the first part's failure (the caller's first), the others added as suppressed, after
     *     every started part has returned
     */
    static void run(int parts, IntConsumer part) {
        List<AtomicBoolean> claims = new ArrayList<>();
        List<CompletableFuture<Void>> others = new ArrayList<>();
        for (int p = 1; p < parts; p++) {
            int index = p;
            AtomicBoolean claim = new AtomicBoolean();
            claims.add(claim);
            others.add(CompletableFuture.runAsync(() -> {
                if (claim.compareAndSet(false, true)) {
                    part.accept(index);
                }
            }, ForkJoinPool.commonPool()));
        }
        RuntimeException failure = null;
        try {
            part.accept(0);
        } catch (RuntimeException e) {
            failure = e;
        }
        for (int t = 0; t < others.size(); t++) {
            if (!claims.get(t).compareAndSet(false, true)) {
                try {
                    join(others.get(t));
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void join(CompletableFuture<Void> future) {
        try {
            future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }
}
