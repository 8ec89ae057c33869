package org.rpg4j.dl4j.layers;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * Copies a DL4J layer configuration's state into an instance of a subclass.
 *
 * <p>DL4J's {@code BatchNormalization} has only a private builder constructor, so a subclass cannot
 * be built through DL4J's builder chain; instead DL4J builds the standard configuration (applying
 * all its builder logic) and every instance field, from the given class up to {@code Object}, is
 * copied into the subclass instance. Pass a fresh clone as the source: arrays and lists are shared.
 */
final class ConfigurationCopy {

    private ConfigurationCopy() {
    }

    /**
     * @param source the configuration to copy from; its fields are read, not modified
     * @param target an instance of a subclass of {@code declaredType}; its fields are overwritten
     * @param declaredType the most derived class whose fields are copied (with all its superclasses)
     * @throws IllegalStateException if a field cannot be accessed (a security manager or module rule)
     */
    static <T> void copyFields(T source, T target, Class<T> declaredType) {
        for (Class<?> c = declaredType; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                try {
                    field.setAccessible(true);
                    field.set(target, field.get(source));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new IllegalStateException("cannot copy field " + c.getName() + "." + field.getName()
                            + " of a layer configuration", e);
                }
            }
        }
    }
}
