package org.rpg4j.dl4j.deploy.runner;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A counter that moves whenever a step's kernel decision may have changed (a calibration's or recheck's choice, a
 * sparse kernel race's choice), so that a step can keep what it derived from its readers' decisions (the layout it
 * writes its output in, {@link Step#wantedBy}) across calls and derive it again only after a change. Asking every
 * reader at every call cost 1.6 % of a 70 %-shrunk ResNet-56 call at batch 1 (JFR, session 14). One counter for
 * every runner of the JVM: a change in another runner only makes a step derive its plan once more.
 */
final class DecisionVersion {

    private static final AtomicInteger VERSION = new AtomicInteger();

    private DecisionVersion() {
    }

    /** @return the current version; a plan derived at this version stays valid while {@link #current} returns it */
    static int current() {
        return VERSION.get();
    }

    /** Marks that some decision may have changed: every plan derived before is stale. */
    static void bump() {
        VERSION.incrementAndGet();
    }
}
