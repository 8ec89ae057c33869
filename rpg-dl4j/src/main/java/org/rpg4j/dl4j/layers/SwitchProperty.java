package org.rpg4j.dl4j.layers;

import java.util.Locale;

/** A system property that switches a fast path on or off with one of two words. */
final class SwitchProperty {
    private SwitchProperty() {
    }

    /**
     * @param name the system property
     * @param on the word (lower case) that keeps the path on; also the value when the property is unset
     * @param off the word (lower case) that switches it off
     * @return true unless the property holds {@code off} (trimmed, any case)
     * @throws IllegalArgumentException if the property holds another word than {@code on} or {@code off}
     */
    static boolean isOn(String name, String on, String off) {
        String value = System.getProperty(name, on).trim().toLowerCase(Locale.ROOT);
        if (value.equals(on)) {
            return true;
        }
        if (value.equals(off)) {
            return false;
        }
        throw new IllegalArgumentException("system property " + name + " must be '" + on + "' or '" + off
                + "', got '" + value + "'");
    }
}
