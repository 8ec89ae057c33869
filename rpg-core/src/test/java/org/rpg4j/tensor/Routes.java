package org.rpg4j.tensor;

import java.util.function.Supplier;

/** Runs test code on one of the two routes of {@link HostAccess} (sets and restores its system property). */
public final class Routes {
    private Routes() {
    }

    /**
     * @param mode the route to force
     * @param body what to run on it
     * @return what {@code body} returns
     */
    public static <T> T on(HostAccess.Mode mode, Supplier<T> body) {
        String before = System.getProperty(HostAccess.PROPERTY);
        System.setProperty(HostAccess.PROPERTY, mode.name().toLowerCase(java.util.Locale.ROOT));
        try {
            return body.get();
        } finally {
            if (before == null) {
                System.clearProperty(HostAccess.PROPERTY);
            } else {
                System.setProperty(HostAccess.PROPERTY, before);
            }
        }
    }
}
